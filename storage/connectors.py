"""Connector status per (station, EVSE, connector) and its bounded history."""
from __future__ import annotations

from typing import Any

from storage import utc_now_iso
from storage.database import Store, keep_newest

# Status rows kept per station; older ones are dropped as new ones arrive.
HISTORY_PER_STATION = 500


def save_status(
    store: Store,
    cs_id: str,
    evse_id: int,
    connector_id: int,
    status: str,
    error_code: str | None = None,
    info: str | None = None,
    vendor_id: str | None = None,
    vendor_error_code: str | None = None,
    station_time: str | None = None,
) -> None:
    """Store a connector's latest status and append it to the history, durably."""
    now = utc_now_iso()
    current = {
        "cs_id": cs_id,
        "evse_id": evse_id,
        "connector_id": connector_id,
        "status": status,
        "error_code": error_code,
        "info": info,
        "vendor_id": vendor_id,
        "vendor_error_code": vendor_error_code,
        "station_time": station_time,
        "updated_at": now,
    }
    history = {
        "cs_id": cs_id,
        "evse_id": evse_id,
        "connector_id": connector_id,
        "status": status,
        "error_code": error_code,
        "info": info,
        "station_time": station_time,
        "received_at": now,
    }

    def job(db: Any) -> None:
        db["connectors"].upsert(current, pk=("cs_id", "evse_id", "connector_id"))
        db["status_history"].insert(history)
        keep_newest(db, "status_history", cs_id, HISTORY_PER_STATION)

    store.write(job)


def list_connectors(store: Store, cs_id: str) -> list[dict[str, Any]]:
    """The station's connectors in (evse, connector) order."""
    return store.read(
        lambda db: list(
            db["connectors"].rows_where("cs_id = ?", [cs_id], order_by="evse_id, connector_id")
        )
    )


def status_history(store: Store, cs_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The station's latest status changes, newest first."""
    return store.read(
        lambda db: list(db["status_history"].rows_where("cs_id = ?", [cs_id], order_by="id desc", limit=limit))
    )
