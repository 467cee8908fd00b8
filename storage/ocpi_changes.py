"""The log of changes OCPI partners hear about (a location saved, a located station's connector status or connection,
its transactions starting or ending), filled by triggers and drained in order by the OCPI watcher."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.database import Store


def take_changes(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """The oldest changes not yet handled."""
    return store.read(lambda db: list(db["ocpi_changes"].rows_where(order_by="id", limit=limit)))


def forget_changes(db: sqlite_utils.Database, up_to_id: int) -> None:
    """Drop the handled changes, inside the write job that handled them."""
    db.execute("DELETE FROM ocpi_changes WHERE id <= ?", [up_to_id])


def station_statuses(db: sqlite_utils.Database, cs_id: str) -> tuple[bool, dict[int, str]]:
    """(whether the station is connected, its OCPP status per EVSE id ≥ 1), inside a read or write job."""
    found = db.execute("SELECT connected FROM stations WHERE id = ?", [cs_id]).fetchone()
    rows = db.execute(
        "SELECT evse_id, status FROM connectors WHERE cs_id = ? AND evse_id > 0 ORDER BY evse_id, connector_id", [cs_id]
    ).fetchall()
    statuses: dict[int, str] = {}
    for evse_id, status in rows:
        statuses.setdefault(evse_id, status)  # 2.0.1: an EVSE's first connector speaks for it
    return bool(found and found[0]), statuses
