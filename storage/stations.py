"""Registered stations as the management API sees them: auth upsert, detail with connectors, list, delete."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Callable

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store, select_one

AUTH_FIELDS = ("security_profile", "password_hash", "invalid_username_allowed")
# Rows that only mean something while the station exists; transactions, meter values and events stay as history.
DEPENDENT_TABLES = (
    "connectors", "status_history", "station_settings", "station_certificates", "commands", "device_model", "frame_log",
)
# Rows per write job of delete_station: ~2 ms of the event loop each, and other writers get their turn in between
# (300,000 rows in one job held the event loop, and every station, for ~190 ms).
DELETE_CHUNK_ROWS = 2000


def password_hash(password: str) -> str:
    """The stored form of a Basic auth password: the seed's base64 of its SHA-256 (unsalted, as the seed API has it)."""
    return base64.b64encode(hashlib.sha256(password.encode()).digest()).decode()


def save_station_auth(store: Store, cs_id: str, auth: dict[str, Any]) -> dict[str, Any] | None:
    """Create the station or replace only its auth fields; returns the row as it was before (None if new)."""
    now = utc_now_iso()
    values = {name: auth.get(name) for name in AUTH_FIELDS}
    values["invalid_username_allowed"] = int(bool(values["invalid_username_allowed"]))

    def job(db: sqlite_utils.Database) -> dict[str, Any] | None:
        before = find_station(db, cs_id)
        if before is None:
            db["stations"].insert({"id": cs_id, **values, "created_at": now, "updated_at": now, "connected": 0})
        else:
            db["stations"].update(cs_id, {**values, "updated_at": now})
        return before

    return store.write(job)


def find_station(db: sqlite_utils.Database, cs_id: str) -> dict[str, Any] | None:
    """The station row, inside a read or write job."""
    return select_one(db, "SELECT * FROM stations WHERE id = ?", [cs_id])


def get_station(store: Store, cs_id: str) -> dict[str, Any] | None:
    """The station row, or None."""
    return store.read(lambda db: find_station(db, cs_id))


def get_station_detail(store: Store, cs_id: str) -> dict[str, Any] | None:
    """The station row with its `connectors`, or None."""

    def read(db: sqlite_utils.Database) -> dict[str, Any] | None:
        station = find_station(db, cs_id)
        if station is not None:
            station["connectors"] = _connectors(db, [cs_id]).get(cs_id, [])
        return station

    return store.read(read)


def list_stations(store: Store, offset: int, limit: int) -> list[dict[str, Any]]:
    """Stations ordered by id, each with its `connectors`."""

    def read(db: sqlite_utils.Database) -> list[dict[str, Any]]:
        stations = list(db["stations"].rows_where(order_by="id", limit=limit, offset=offset))
        connectors = _connectors(db, [station["id"] for station in stations])
        for station in stations:
            station["connectors"] = connectors.get(station["id"], [])
        return stations

    return store.read_off_hub(read)


def _connectors(db: sqlite_utils.Database, cs_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    if not cs_ids:
        return found
    marks = ", ".join("?" for _ in cs_ids)
    rows = db["connectors"].rows_where(f"cs_id IN ({marks})", cs_ids, order_by="cs_id, evse_id, connector_id")
    for row in rows:
        found.setdefault(row["cs_id"], []).append(row)
    return found


def delete_station(store: Store, cs_id: str) -> bool:
    """Delete the station and the rows that depend on it; False when it did not exist. The rows go DELETE_CHUNK_ROWS
    per write job; the station row goes last, in the job that finds no dependent row left (the gateway then closes
    its connection)."""
    while True:
        deleted = store.write(lambda db: _delete_chunk(db, cs_id))
        if deleted is not None:
            return deleted


def _delete_chunk(db: sqlite_utils.Database, cs_id: str) -> bool | None:
    """One write job of delete_station: None while dependent rows remain, then True (False: no such station)."""
    if find_station(db, cs_id) is None:
        return False
    budget = DELETE_CHUNK_ROWS
    for table in DEPENDENT_TABLES:
        sql = f"DELETE FROM [{table}] WHERE rowid IN (SELECT rowid FROM [{table}] WHERE cs_id = ? LIMIT ?)"
        budget -= db.execute(sql, [cs_id, budget]).rowcount
        if budget == 0:
            return None
    db.execute("DELETE FROM stations WHERE id = ?", [cs_id])
    return True


def write_if_station(store: Store, cs_id: str, job: Callable[[sqlite_utils.Database], None]) -> bool:
    """Run `job(db)` in one write only if the station still exists; False when it does not."""

    def guarded(db: sqlite_utils.Database) -> bool:
        if find_station(db, cs_id) is None:
            return False
        job(db)
        return True

    return store.write(guarded)


def save_password_hash(db: sqlite_utils.Database, cs_id: str, password_hash: str) -> None:
    """The station's new Basic auth hash after it accepted a new password (the old one stops working)."""
    db.execute("UPDATE stations SET password_hash = ?, updated_at = ? WHERE id = ?", [password_hash, utc_now_iso(), cs_id])


OVERVIEW_COLUMNS = ("id", "security_profile", "connected", "ocpp_version", "last_seen", "boot_status", "vendor", "model")


def list_station_overview(store: Store, cs_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """What the dashboard's station list shows, ordered by id: every station (a read off the event loop) or the given
    ones, each with its `connectors` (evse_id, connector_id, status, error_code)."""
    columns = ", ".join(OVERVIEW_COLUMNS)
    if cs_ids is None:
        where, args = "", []
    else:
        where, args = " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(cs_ids)]

    def read(db: sqlite_utils.Database) -> list[dict[str, Any]]:
        rows = [dict(zip(OVERVIEW_COLUMNS, row)) for row in db.execute(f"SELECT {columns} FROM stations{where} ORDER BY id", args)]
        by_id = {row["id"]: row for row in rows}
        for row in rows:
            row["connectors"] = []
        sql = f"SELECT cs_id, evse_id, connector_id, status, error_code FROM connectors{where.replace('id IN', 'cs_id IN')}"
        for cs_id, evse_id, connector_id, status, error_code in db.execute(sql + " ORDER BY cs_id, evse_id, connector_id", args):
            if cs_id in by_id:
                by_id[cs_id]["connectors"].append(
                    {"evse_id": evse_id, "connector_id": connector_id, "status": status, "error_code": error_code}
                )
        return rows

    return store.read(read) if cs_ids is not None else store.read_off_hub(read)
