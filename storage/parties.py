"""OCPI parties registered through the management API."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store


def add_party(store: Store, token: str, url: str | None, status: str) -> int | None:
    """Store a new party; its id, or None when the token is already registered."""
    now = utc_now_iso()
    row = {"token": token, "url": url, "status": status, "created_at": now, "updated_at": now}

    def job(db: sqlite_utils.Database) -> int | None:
        if next(db["ocpi_parties"].rows_where("token = ?", [token], limit=1), None) is not None:
            return None
        return int(db["ocpi_parties"].insert(row).last_pk)

    return store.write(job)


def get_party_by_token(store: Store, token: str) -> dict[str, Any] | None:
    """The party that uses this token, or None."""
    return store.read(lambda db: next(db["ocpi_parties"].rows_where("token = ?", [token], limit=1), None))
