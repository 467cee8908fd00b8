"""Certificates the local CA issued to stations: listed per station, revoked by serial, looked up by OCSP and TLS."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

PUBLIC_COLUMNS = "serial, cs_id, certificate_type, subject, not_before, not_after, revoked_at, pem, created_at"


def record_issued(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Keep an issued certificate (serial, cs_id (None for an EV's contract certificate), certificate_type, subject,
    not_before, not_after, pem), inside a write job."""
    db.execute(
        "INSERT INTO issued_certificates (serial, cs_id, certificate_type, subject, not_before, not_after, pem,"
        " created_at) VALUES (:serial, :cs_id, :certificate_type, :subject, :not_before, :not_after, :pem, :created_at)",
        {**row, "created_at": utc_now_iso()},
    )


def list_issued(store: Store, cs_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """The station's issued certificates, newest first."""
    sql = f"SELECT {PUBLIC_COLUMNS} FROM issued_certificates WHERE cs_id = ? ORDER BY created_at DESC, serial LIMIT ? OFFSET ?"
    return store.read_off_hub(lambda db: [dict(zip(PUBLIC_COLUMNS.split(", "), row)) for row in db.execute(sql, [cs_id, limit, offset])])


def revoke(store: Store, cs_id: str | None, serial: str) -> bool:
    """Revoke the certificate with this serial issued to the station (None: an EV's contract certificate); it is
    kept, with the time. False when there is none such."""

    def job(db: sqlite_utils.Database) -> bool:
        found = db.execute("SELECT 1 FROM issued_certificates WHERE serial = ? AND cs_id IS ?", [serial, cs_id]).fetchone()
        db.execute(
            "UPDATE issued_certificates SET revoked_at = ? WHERE serial = ? AND cs_id IS ? AND revoked_at IS NULL",
            [utc_now_iso(), serial, cs_id],
        )
        return found is not None

    return store.write(job)


def revocation(store: Store, serial: int | str) -> tuple[bool, str | None]:
    """(whether we issued this serial (a number, or upper-case hex), when it was revoked or None)."""
    if isinstance(serial, int):
        serial = format(serial, "X")
    row = store.read(
        lambda db: db.execute("SELECT revoked_at FROM issued_certificates WHERE serial = ?", [serial]).fetchone()
    )
    return (row is not None, row[0] if row else None)


def list_recent(store: Store, limit: int) -> list[dict[str, Any]]:
    """Every station's and EV's issued certificates, newest first."""
    sql = f"SELECT {PUBLIC_COLUMNS} FROM issued_certificates ORDER BY created_at DESC, serial LIMIT ?"
    return store.read(lambda db: [dict(zip(PUBLIC_COLUMNS.split(", "), row)) for row in db.execute(sql, [limit])])
