"""OCPI parties: registered through the management API, then known through the credentials handshake."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage import ocpi_pushes, utc_now_iso
from storage.database import Store

_JSON_COLUMNS = ("credentials", "endpoints")


def add_party(store: Store, token: str, url: str | None, status: str) -> int | None:
    """Store a new party; its id, or None when the token is already registered. With `url` (their versions
    endpoint), the handshake that we start is queued in the same commit."""
    now = utc_now_iso()
    # With a URL, the token is theirs too (token A): we call them with it until the handshake gives us another.
    row = {"token": token, "their_token": token if url else None, "url": url, "status": status, "created_at": now,
           "updated_at": now}  # fmt: skip

    def job(db: sqlite_utils.Database) -> int | None:
        if next(db["ocpi_parties"].rows_where("token = ?", [token], limit=1), None) is not None:
            return None
        party_id = int(db["ocpi_parties"].insert(row).last_pk)
        if url:
            ocpi_pushes.queue_push(db, party_id, "handshake", "POST", url, None)
        return party_id

    return store.write(job)


def get_party_by_token(store: Store, token: str) -> dict[str, Any] | None:
    """The party that uses this token, or None."""
    return _decoded(store.read(lambda db: next(db["ocpi_parties"].rows_where("token = ?", [token], limit=1), None)))


def list_parties(store: Store) -> list[dict[str, Any]]:
    """Every party, oldest first (a few: compared one by one when a request names its token)."""
    return store.read(lambda db: all_parties(db))


def all_parties(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every party, inside a read or write job."""
    return [_decoded(row) for row in db["ocpi_parties"].rows_where(order_by="id")]


def find_party(db: sqlite_utils.Database, party_id: int) -> dict[str, Any] | None:
    """One party by id, inside a read or write job."""
    return _decoded(next(db["ocpi_parties"].rows_where("id = ?", [party_id], limit=1), None))


def get_party(store: Store, party_id: int) -> dict[str, Any] | None:
    """One party by id, or None."""
    return store.read(lambda db: find_party(db, party_id))


def update_party(db: sqlite_utils.Database, party_id: int, changes: dict[str, Any]) -> None:
    """Change a party's columns (roles and endpoints given as lists), inside a write job."""
    row = {name: json.dumps(value) if name in _JSON_COLUMNS and value is not None else value
           for name, value in changes.items()}
    db["ocpi_parties"].update(party_id, {**row, "updated_at": utc_now_iso()})


def set_token(store: Store, party_id: int, token: str) -> None:
    """The token the party is to call us with from now on."""
    store.write(lambda db: update_party(db, party_id, {"token": token}))


def record_error(store: Store, party_id: int, error: str | None) -> None:
    """What went wrong last with this party (None: nothing)."""
    store.write(lambda db: update_party(db, party_id, {"last_error": error}))


def delete_party(store: Store, party_id: int) -> None:
    """Forget the party, its token and whatever was still queued for it."""

    def job(db: sqlite_utils.Database) -> None:
        ocpi_pushes.drop_pushes(db, party_id)
        db["ocpi_parties"].delete_where("id = ?", [party_id])

    store.write(job)


def is_connected(party: dict[str, Any]) -> bool:
    """Whether the handshake with the party is done: we can call it."""
    return party["status"] == "REGISTERED" and bool(party.get("their_token")) and bool(party.get("endpoints"))


def has_role(party: dict[str, Any], country_code: str, party_id: str) -> bool:
    """Whether the party named this country code and party id among its roles (case-insensitive, as OCPI says)."""
    wanted = (country_code.upper(), party_id.upper())
    return any((role["country_code"].upper(), role["party_id"].upper()) == wanted for role in party["credentials"] or [])


def owner_of(db: sqlite_utils.Database, country_code: str | None, party_id: str | None) -> dict[str, Any] | None:
    """The connected party whose roles include this country code and party id (a token's eMSP), or None."""
    if not country_code or not party_id:
        return None
    return next(
        (party for party in all_parties(db) if is_connected(party) and has_role(party, country_code, party_id)), None
    )


def _decoded(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    for column in _JSON_COLUMNS:
        row[column] = json.loads(row[column]) if row.get(column) else None
    return row
