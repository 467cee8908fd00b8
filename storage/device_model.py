"""The device model stations report (NotifyReport) and update (NotifyEvent): one row per variable attribute."""
from __future__ import annotations

from typing import Any

from storage.database import Store

KEY = (
    "cs_id",
    "component",
    "component_instance",
    "evse_id",
    "connector_id",
    "variable",
    "variable_instance",
    "attribute_type",
)
_ORDER = ", ".join(KEY[1:])


def upsert_variables(store: Store, rows: list[dict[str, Any]]) -> None:
    """Insert or update attribute rows durably; columns a row leaves out keep their stored values."""
    if rows:
        store.write(lambda db: db["device_model"].upsert_all(rows, pk=KEY, alter=False))


def list_variables(store: Store, cs_id: str, offset: int = 0, limit: int = 20) -> list[dict[str, Any]]:
    """The station's reported variable attributes by component, variable and attribute type."""
    return store.read_off_hub(
        lambda db: list(
            db["device_model"].rows_where("cs_id = ?", [cs_id], order_by=_ORDER, limit=limit, offset=offset)
        )
    )
