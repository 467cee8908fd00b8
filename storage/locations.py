"""Locations registered through the management API, stored as OCPI JSON with their owner, and their EVSEs' stations
and OCPI statuses."""
from __future__ import annotations

import json
import re
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

# An EVSE uid names its station as the original did: country and party (5 letters), "E", the station id.
_EVSE_UID = re.compile(r"[A-Za-z]{5}E(.+)")
# A location's last_updated: its own, or its EVSEs' status changes when later.
_LAST_UPDATED = (
    "max(l.updated_at, coalesce((SELECT max(e.updated_at) FROM ocpi_evses e WHERE e.location_id = l.id), ''))"
)


def station_of_evse(uid: str) -> str | None:
    """The station an EVSE uid names (GBTWKEcs001 → cs001), or None."""
    found = _EVSE_UID.fullmatch(uid)
    return found.group(1) if found else None


def save_location(store: Store, location_id: str, location: dict[str, Any]) -> None:
    """Create or replace the location (country_code and party_id kept as columns too) with its EVSE rows; the OCPI
    side learns of it from a change row written in the same commit."""
    now = utc_now_iso()
    row = {
        "id": location_id,
        "country_code": location["country_code"],
        "party_id": location["party_id"],
        "body": json.dumps(location),
        "updated_at": now,
    }

    def job(db: sqlite_utils.Database) -> None:
        db["locations"].upsert(row, pk="id")
        known = {evse["uid"]: evse["status"] for evse in evse_rows(db, location_id)}
        db["ocpi_evses"].delete_where("location_id = ?", [location_id])
        for evse in location.get("evses") or []:
            db["ocpi_evses"].insert(_evse_row(location_id, evse, known.get(evse["uid"], "UNKNOWN"), now))
        db["ocpi_changes"].insert({"kind": "location", "ref": location_id})

    store.write(job)


def _evse_row(location_id: str, evse: dict[str, Any], status: str, now: str) -> dict[str, Any]:
    connector_ids = [int(connector["id"]) for connector in evse["connectors"] if connector["id"].isdigit()]
    return {
        "location_id": location_id,
        "uid": evse["uid"],
        "cs_id": station_of_evse(evse["uid"]),
        "connector_ids": json.dumps(connector_ids),
        "status": status,
        "updated_at": now,
    }


def get_location(store: Store, location_id: str) -> dict[str, Any] | None:
    """The stored location (its OCPI body with `id`), or None."""
    row = store.read(lambda db: next(db["locations"].rows_where("id = ?", [location_id], limit=1), None))
    return None if row is None else {"id": row["id"], **json.loads(row["body"])}


def find_location(db: sqlite_utils.Database, location_id: str) -> dict[str, Any] | None:
    """The location with its last_updated and EVSE rows, inside a read or write job, or None."""
    sql = f"SELECT l.*, {_LAST_UPDATED} AS last_updated FROM locations l WHERE l.id = ?"
    found = db.execute(sql, [location_id]).fetchone()
    return None if found is None else _with_evses(db, found)


def _with_evses(db: sqlite_utils.Database, found: tuple) -> dict[str, Any]:
    location_id, body, last_updated = found[0], found[3], found[-1]
    return {"id": location_id, "body": json.loads(body), "last_updated": last_updated, "evses": evse_rows(db, location_id)}


def evse_rows(db: sqlite_utils.Database, location_id: str) -> list[dict[str, Any]]:
    """The location's EVSE rows (station, connector ids, OCPI status), inside a read or write job."""
    rows = list(db["ocpi_evses"].rows_where("location_id = ?", [location_id], order_by="rowid"))
    for row in rows:
        row["connector_ids"] = json.loads(row["connector_ids"])
    return rows


def page_locations(
    store: Store, date_from: str | None, date_to: str | None, offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, the page of them oldest first) with last_updated in [date_from, date_to)."""
    where, args = _period(date_from, date_to)
    base = f"SELECT l.id, l.country_code, l.party_id, l.body, l.updated_at, {_LAST_UPDATED} AS last_updated FROM locations l"

    def read(db: sqlite_utils.Database) -> tuple[int, list[dict[str, Any]]]:
        total = db.execute(f"SELECT count(*) FROM ({base}) WHERE {where}", args).fetchone()[0]
        page = db.execute(f"SELECT * FROM ({base}) WHERE {where} LIMIT ? OFFSET ?", [*args, limit, offset])
        return total, [_with_evses(db, found) for found in page.fetchall()]

    return store.read_off_hub(read)


def all_location_ids(db: sqlite_utils.Database) -> list[str]:
    """Every location id, oldest first, inside a read or write job."""
    return [row[0] for row in db.execute("SELECT id FROM locations ORDER BY rowid").fetchall()]


def _period(date_from: str | None, date_to: str | None) -> tuple[str, list[str]]:
    clauses, args = ["1"], []
    if date_from:
        clauses.append("last_updated >= ?")
        args.append(date_from)
    if date_to:
        clauses.append("last_updated < ?")
        args.append(date_to)
    return " AND ".join(clauses), args


def evses_of_station(db: sqlite_utils.Database, cs_id: str) -> list[dict[str, Any]]:
    """The EVSE rows that name this station, inside a read or write job."""
    rows = list(db["ocpi_evses"].rows_where("cs_id = ?", [cs_id], order_by="location_id, rowid"))
    for row in rows:
        row["connector_ids"] = json.loads(row["connector_ids"])
    return rows


def set_evse_status(db: sqlite_utils.Database, location_id: str, uid: str, status: str, now: str) -> None:
    """Record an EVSE's new OCPI status, inside a write job."""
    db.execute(
        "UPDATE ocpi_evses SET status = ?, updated_at = ? WHERE location_id = ? AND uid = ?", [status, now, location_id, uid]
    )
