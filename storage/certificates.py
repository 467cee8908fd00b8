"""The certificate store (client certificates by hash) and the certificates recorded per station."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store


def save_certificate(store: Store, certificate: dict[str, Any]) -> None:
    """Store `{hash, pem, subject, not_after}`, replacing one with the same hash."""
    store.write(lambda db: store_certificate(db, certificate))


def store_certificate(db: sqlite_utils.Database, certificate: dict[str, Any]) -> None:
    """`save_certificate` inside the caller's write job."""
    db["certificates"].upsert({**certificate, "created_at": utc_now_iso()}, pk="hash")


def get_certificate(store: Store, certificate_hash: str) -> dict[str, Any] | None:
    """The stored certificate with this (unpadded base64url) hash, or None."""
    return store.read(
        lambda db: next(db["certificates"].rows_where("hash = ?", [certificate_hash], limit=1), None)
    )


def delete_certificate(store: Store, certificate_hash: str) -> bool:
    """Delete by hash; False when nothing was stored under it."""
    return store.write(
        lambda db: db.execute("DELETE FROM certificates WHERE hash = ?", [certificate_hash]).rowcount > 0
    )


def record_station_certificate(db: sqlite_utils.Database, cs_id: str, certificate: dict[str, Any]) -> None:
    """Merge `{id, type, pem, status, command_id}` into the station's certificates, inside a write job."""
    row = {"cs_id": cs_id, **certificate, "updated_at": utc_now_iso()}
    db["station_certificates"].upsert(row, pk=("cs_id", "id"))


def save_certificate_status(db: sqlite_utils.Database, cs_id: str, command_id: int, status: str) -> None:
    """The install outcome on the station's certificate record queued by this command."""
    db.execute(
        "UPDATE station_certificates SET status = ?, updated_at = ? WHERE cs_id = ? AND command_id = ?",
        [status, utc_now_iso(), cs_id, command_id],
    )


def list_station_certificates(store: Store, cs_id: str) -> list[dict[str, Any]]:
    """The certificates recorded for the station (installed or being installed), newest first."""
    sql = "SELECT id, type, status, command_id, updated_at FROM station_certificates WHERE cs_id = ? ORDER BY updated_at DESC"
    return store.read(lambda db: [dict(row) for row in db.query(sql, [cs_id])])


def list_certificates(store: Store, offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """The certificate store (hash, subject, not_after, created_at), by hash."""
    sql = "SELECT hash, subject, not_after, created_at FROM certificates ORDER BY hash LIMIT ? OFFSET ?"
    return store.read(lambda db: [dict(row) for row in db.query(sql, [limit, offset])])
