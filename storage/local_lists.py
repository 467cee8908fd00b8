"""What each station's local authorisation list holds as far as we know: the version it acknowledged, its entries and
the version it last reported; and the stored tokens a list is built from."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store, select_one

_UNKNOWN = {"version": None, "entries": {}, "acknowledged_at": None, "reported_version": None, "reported_at": None,
            "updated_at": None}  # fmt: skip


def find_local_list(db: sqlite_utils.Database, cs_id: str) -> dict[str, Any]:
    """The station's list inside a read or write job (unknown and empty when we never sent it one), with `in_sync`:
    its last report compared with the acknowledged version (None when either is unknown or the report is older)."""
    row = select_one(db, "SELECT * FROM local_lists WHERE cs_id = ?", [cs_id])
    known = _UNKNOWN | ({**row, "entries": json.loads(row["entries"] or "{}")} if row else {"entries": {}})
    return known | {"in_sync": _in_sync(known)}


def _in_sync(known: dict[str, Any]) -> bool | None:
    if known["version"] is None or known["reported_version"] is None:
        return None
    if known["acknowledged_at"] and known["reported_at"] < known["acknowledged_at"]:
        return None  # the station reported before it took our latest list
    return known["reported_version"] == known["version"]


def get_local_list(store: Store, cs_id: str) -> dict[str, Any]:
    """The station's list as `find_local_list` describes it."""
    return store.read(lambda db: find_local_list(db, cs_id))


def listable_tokens(store: Store, uids: list[str] | None) -> list[dict[str, Any]]:
    """The stored tokens with these uids (None: every token), as uid, type, valid, group_id and expiry_date."""
    sql, params = "SELECT uid, type, valid, group_id, expiry_date FROM tokens", []
    if uids is not None:
        sql, params = sql + " WHERE uid IN (SELECT value FROM json_each(?))", [json.dumps(uids)]
    return store.read_off_hub(lambda db: [dict(row) for row in db.query(sql, params)])  # every token: may be many


def _save(db: sqlite_utils.Database, cs_id: str, columns: dict[str, Any]) -> None:
    db["local_lists"].upsert({"cs_id": cs_id, **columns, "updated_at": utc_now_iso()}, pk="cs_id")


def save_acknowledged(db: sqlite_utils.Database, cs_id: str, version: int | None, entries: dict[str, Any]) -> None:
    """The station accepted a list: it now holds `entries` as `version` (None: a version we cannot keep)."""
    columns = {"version": version, "entries": json.dumps(entries, sort_keys=True), "acknowledged_at": utc_now_iso()}
    _save(db, cs_id, columns)


def forget_version(db: sqlite_utils.Database, cs_id: str) -> None:
    """The station's list is not the one we know (VersionMismatch): its version becomes unknown, entries stay shown."""
    _save(db, cs_id, {"version": None})


def save_reported_version(db: sqlite_utils.Database, cs_id: str, version: int | None) -> None:
    """The station's GetLocalListVersion answer."""
    _save(db, cs_id, {"reported_version": version, "reported_at": utc_now_iso()})
