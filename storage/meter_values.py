"""Sampled meter values of both OCPP versions, one row per sampledValue."""
from __future__ import annotations

from typing import Any, Iterable

import sqlite_utils

from storage.database import Store, insert_values

# The columns of a sampled_value_row (handlers/meter_values.py), then the link every row of one message shares.
VALUE_COLUMNS = (
    "timestamp", "value", "value_number", "context", "format", "measurand", "phase", "location", "unit", "signed_data",
)
COLUMNS = VALUE_COLUMNS + ("cs_id", "evse_id", "connector_id", "transaction_id")


def insert_meter_values(
    db: sqlite_utils.Database,
    cs_id: str,
    rows: Iterable[dict[str, Any]],
    evse_id: int | None = None,
    connector_id: int | None = None,
    transaction_id: str | None = None,
) -> None:
    """Inside a write job: insert parsed sampled-value rows for one station, EVSE and transaction."""
    link = (cs_id, evse_id, connector_id, transaction_id)
    insert_values(db, "meter_values", COLUMNS, [tuple(map(row.get, VALUE_COLUMNS)) + link for row in rows])


def add_meter_values(
    store: Store,
    cs_id: str,
    rows: list[dict[str, Any]],
    evse_id: int | None = None,
    connector_id: int | None = None,
    transaction_id: str | None = None,
) -> None:
    """Store parsed sampled-value rows durably."""
    if rows:
        store.write(lambda db: insert_meter_values(db, cs_id, rows, evse_id, connector_id, transaction_id))
