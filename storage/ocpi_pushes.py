"""The durable queue of our requests to OCPI partners: FIFO per party, retried with backoff, deleted once sent."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store


def queue_push(
    db: sqlite_utils.Database, party_id: int, module: str, method: str, path: str, body: Any
) -> int:
    """Queue a request for the party inside the caller's write job: `path` below the party's `module` endpoint, or a
    whole URL for module "url" (and "handshake", with their versions URL). Returns its id."""
    row = {
        "party_id": party_id,
        "module": module,
        "method": method,
        "path": path,
        "body": None if body is None else json.dumps(body),
        "status": "pending",
        "attempts": 0,
        "created_at": utc_now_iso(),
    }
    return int(db["ocpi_pushes"].insert(row).last_pk)


def parties_with_due_pushes(store: Store) -> list[int]:
    """Parties whose pending requests may go out now (their oldest one is due, or a newer one is: then it says)."""
    sql = (
        "SELECT DISTINCT party_id FROM ocpi_pushes WHERE status = 'pending'"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
    )
    return store.read(lambda db: [row[0] for row in db.execute(sql, [utc_now_iso()]).fetchall()])


def next_push(store: Store, party_id: int) -> dict[str, Any] | None:
    """The party's oldest pending request (a later one never overtakes it), body decoded, or None."""

    def read(db: sqlite_utils.Database) -> dict[str, Any] | None:
        where = "party_id = ? AND status = 'pending'"
        return next(db["ocpi_pushes"].rows_where(where, [party_id], order_by="id", limit=1), None)

    row = store.read(read)
    if row is not None and row["body"] is not None:
        row["body"] = json.loads(row["body"])
    return row


def is_due(push: dict[str, Any]) -> bool:
    """Whether a pending request's backoff is over."""
    return not push["next_attempt_at"] or push["next_attempt_at"] <= utc_now_iso()


def mark_sent(store: Store, push_id: int) -> None:
    """The partner took it: forget it."""
    store.write(lambda db: db["ocpi_pushes"].delete_where("id = ?", [push_id]))


def mark_failed(store: Store, push_id: int, error: str) -> None:
    """The partner refused it for good (a client error): kept, with why, and the queue moves on."""
    store.write(lambda db: db["ocpi_pushes"].update(push_id, {"status": "failed", "last_error": error[:500]}))


def retry_later(store: Store, push_id: int, attempts: int, delay_seconds: float, error: str) -> None:
    """Try it again after `delay_seconds`; the party's later requests wait behind it."""
    moment = datetime.now(timezone.utc) + timedelta(seconds=delay_seconds)
    when = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    row = {"attempts": attempts, "next_attempt_at": when, "last_error": error[:500]}
    store.write(lambda db: db["ocpi_pushes"].update(push_id, row))


def drop_pushes(db: sqlite_utils.Database, party_id: int) -> None:
    """Forget every request queued for the party, inside a write job."""
    db["ocpi_pushes"].delete_where("party_id = ?", [party_id])


def list_pushes(store: Store, party_id: int) -> list[dict[str, Any]]:
    """The party's queued and failed requests, oldest first."""
    return store.read(lambda db: list(db["ocpi_pushes"].rows_where("party_id = ?", [party_id], order_by="id")))
