"""The outbox's rows: queued by the API and handlers, listed, then taken, sent, answered, retried and expired by the
deliverer."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

JSON_COLUMNS = ("params", "secrets", "request", "response")


def queue_command(
    db: sqlite_utils.Database, cs_id: str, operation: str, params: Any, origin: str = "api", secrets: Any = None
) -> int:
    """Insert a pending command inside the caller's write job; returns its id.

    `params` is what everyone may read (passwords masked); `secrets`, when the operation carries passwords, is the
    same with them: kept only while the command is open, then dropped (see `finish`).
    """
    row = {
        "cs_id": cs_id,
        "operation": operation,
        "params": json.dumps(params, sort_keys=True),
        "secrets": None if secrets is None else json.dumps(secrets, sort_keys=True),
        "status": "pending",
        "attempts": 0,
        "origin": origin,
        "created_at": utc_now_iso(),
    }
    return int(db["commands"].insert(row).last_pk)


def has_pending_command(db: sqlite_utils.Database, cs_id: str, operation: str, params: Any) -> bool:
    """Whether an identical command (same operation and params) is still pending for the station."""
    where = "cs_id = ? AND status = 'pending' AND operation = ? AND params = ?"
    args = [cs_id, operation, json.dumps(params, sort_keys=True)]
    return next(db["commands"].rows_where(where, args, limit=1), None) is not None


def decode_command(row: dict[str, Any]) -> dict[str, Any]:
    """A commands row with its JSON columns decoded."""
    for column in JSON_COLUMNS:
        if row.get(column) is not None:
            try:
                row[column] = json.loads(row[column])
            except ValueError:
                pass  # stored as plain text by someone else: shown as is
    return row


PUBLIC_COLUMNS = (
    "id", "cs_id", "operation", "params", "action", "status", "request", "response", "created_at", "sent_at",
    "completed_at",
)  # fmt: skip


def list_commands(store: Store, cs_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """The station's commands, newest first (without their secrets)."""
    return store.read_off_hub(
        lambda db: [
            decode_command(row)
            for row in db["commands"].rows_where(
                "cs_id = ?", [cs_id], select=", ".join(PUBLIC_COLUMNS), order_by="id DESC", limit=limit, offset=offset
            )
        ]
    )


def get_command(store: Store, cs_id: str, command_id: int) -> dict[str, Any] | None:
    """One command of the station (without its secrets), or None."""
    columns = ", ".join(PUBLIC_COLUMNS)
    row = store.read(
        lambda db: next(db["commands"].rows_where("cs_id = ? AND id = ?", [cs_id, command_id], select=columns), None)
    )
    return decode_command(row) if row is not None else None


def find_reported_command(db: Any, cs_id: str, actions: tuple[str, ...], request_id: int | None) -> int | None:
    """The station's latest command of these actions (with this requestId when given), inside a write job."""
    marks = ", ".join("?" for _ in actions)
    sql = f"SELECT id FROM commands WHERE cs_id = ? AND action IN ({marks})"
    params: list[Any] = [cs_id, *actions]
    if request_id is not None:
        sql += " AND json_extract(request, '$.requestId') = ?"
        params.append(request_id)
    found = db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return found[0] if found else None


def was_issued_for_remote_start(store: Store, cs_id: str, id_token: str) -> bool:
    """Whether we sent this station a RequestStartTransaction with this idToken (a Central token we issued)."""
    sql = (
        "SELECT 1 FROM commands WHERE cs_id = ? AND (action = ? OR operation = ?)"
        " AND (json_extract(request, '$.idToken.idToken') = ? OR json_extract(params, '$.idToken.idToken') = ?)"
        " LIMIT 1"
    )
    args = [cs_id, "RequestStartTransaction", "RequestStartTransaction", id_token, id_token]
    return store.read(lambda db: db.execute(sql, args).fetchone() is not None)


# -- the deliverer's side --------------------------------------------------------------------------------
def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _decode(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else decode_command(row)


def next_command(store: Store, cs_id: str, provisioning_only: bool = False) -> dict[str, Any] | None:
    """The oldest open command of the station (FIFO: a later one never overtakes it), or None."""
    where = "cs_id = ? AND status IN ('pending', 'sent')"
    if provisioning_only:
        where += " AND origin = 'provisioning'"
    return _decode(
        store.read(lambda db: next(db["commands"].rows_where(where, [cs_id], order_by="id", limit=1), None))
    )


def has_open_provisioning(store: Store, cs_id: str) -> bool:
    """Whether provisioning commands (reconfigure, certificates) still wait for the station."""
    sql = "SELECT 1 FROM commands WHERE cs_id = ? AND status IN ('pending', 'sent') AND origin = 'provisioning' LIMIT 1"
    return store.read(lambda db: db.execute(sql, [cs_id]).fetchone() is not None)


def find_open_by_message_id(store: Store, cs_id: str, message_id: str) -> dict[str, Any] | None:
    """The station's open command whose last call went out with this OCPP message id (it has not been resent with
    another since), or None."""
    where = f"cs_id = ? AND message_id = ? AND {_OPEN}"
    return _decode(store.read(lambda db: next(db["commands"].rows_where(where, [cs_id, message_id], limit=1), None)))


_OPEN = "status IN ('pending', 'sent')"


def _update_open(db: sqlite_utils.Database, command_id: int, columns: dict[str, Any]) -> bool:
    """Update a command only while it is still open (the sweep may have expired it meanwhile)."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    sql = f"UPDATE commands SET {assignments} WHERE id = ? AND {_OPEN}"
    return db.execute(sql, [*columns.values(), command_id]).rowcount == 1


def mark_sent(store: Store, command_id: int, action: str, request: Any, message_id: str) -> bool:
    """Record what goes out (passwords masked), with which OCPP message id and when, before it is sent: an answer
    that comes after the call timed out still finds its command. False when the command is no longer open."""
    row = {"status": "sent", "action": action, "request": json.dumps(request), "message_id": message_id}
    return store.write(lambda db: _update_open(db, command_id, row | {"sent_at": utc_now_iso()}))


def save_progress(store: Store, command_id: int, response: Any) -> None:
    """Keep the answers so far of a command made of several calls (still sent)."""
    store.write(lambda db: _update_open(db, command_id, {"response": json.dumps(response)}))


def finish(store: Store, command_id: int, status: str, response: Any, follow_up: Any = None) -> bool:
    """Close an open command as completed or failed with the station's answer, dropping its secrets; `follow_up(db)`
    runs in the same commit, only if the command was still open. True when it closed it."""
    row = {"status": status, "response": json.dumps(response), "completed_at": utc_now_iso(), "secrets": None}

    def job(db: sqlite_utils.Database) -> tuple[bool, bool]:
        had_secrets = db.execute("SELECT 1 FROM commands WHERE id = ? AND secrets IS NOT NULL", [command_id]).fetchone()
        closed = _update_open(db, command_id, row)
        if closed and follow_up is not None:
            follow_up(db)
        return closed, had_secrets is not None

    closed, had_secrets = store.write(job)
    if closed and had_secrets:
        store.purge_wal()  # the passwords' old page versions must not linger in the WAL either
    return closed


def retry_later(store: Store, command_id: int, attempts: int, delay_seconds: float, response: Any) -> None:
    """Back to pending after a timeout or a lost connection, not before `delay_seconds`; `response` says why
    (and keeps the answers so far of a command made of several calls)."""
    when = _iso(datetime.now(timezone.utc) + timedelta(seconds=delay_seconds))
    row = {"status": "pending", "attempts": attempts, "next_attempt_at": when, "response": json.dumps(response)}
    store.write(lambda db: _update_open(db, command_id, row))


def recover_after_restart(store: Store, no_resend_actions: tuple[str, ...], call_timeout: float) -> int:
    """Commands sent but unanswered when the process stopped go out once more (at-least-once).

    Resets and remote starts sent longer ago than the call timeout are failed instead: repeating them late
    could reboot a station or start a charge nobody waits for.
    """
    cutoff = _iso(datetime.now(timezone.utc) - timedelta(seconds=call_timeout))
    now = utc_now_iso()
    marks = ",".join("?" for _ in no_resend_actions)

    def job(db: sqlite_utils.Database) -> int:
        db.execute(
            f"UPDATE commands SET status = 'failed', completed_at = ?, secrets = NULL,"
            f" response = '{{\"lastError\": \"not resent after a restart\"}}'"
            f" WHERE status = 'sent' AND action IN ({marks}) AND sent_at < ?",
            [now, *no_resend_actions, cutoff],
        )
        return db.execute(
            "UPDATE commands SET status = 'pending', next_attempt_at = NULL WHERE status = 'sent'"
        ).rowcount

    return store.write(job)


def expire_old(store: Store, ttl_seconds: float) -> int:
    """Open commands older than the TTL become expired (their secrets dropped); returns how many."""
    cutoff = _iso(datetime.now(timezone.utc) - timedelta(seconds=ttl_seconds))
    where = f"{_OPEN} AND created_at < ?"

    def job(db: sqlite_utils.Database) -> tuple[int, bool]:
        had_secrets = db.execute(f"SELECT 1 FROM commands WHERE {where} AND secrets IS NOT NULL", [cutoff]).fetchone()
        sql = f"UPDATE commands SET status = 'expired', completed_at = ?, secrets = NULL WHERE {where}"
        return db.execute(sql, [utc_now_iso(), cutoff]).rowcount, had_secrets is not None

    expired, had_secrets = store.write(job)
    if had_secrets:
        store.purge_wal()
    return expired


def stations_with_new_commands(store: Store, after_id: int) -> tuple[int, set[str]]:
    """(highest command id, stations with pending commands above `after_id`): the outbox's cheap wake-up query."""

    def read(db: sqlite_utils.Database) -> tuple[int, set[str]]:
        rows = db.execute(
            "SELECT id, cs_id FROM commands WHERE id > ? AND status = 'pending'", [after_id]
        ).fetchall()
        top = max((row[0] for row in rows), default=after_id)
        return top, {row[1] for row in rows}

    return store.read(read)


def max_command_id(store: Store) -> int:
    """The highest command id so far (0 for none)."""
    return store.read(lambda db: db.execute("SELECT coalesce(max(id), 0) FROM commands").fetchone()[0])


def set_params(store: Store, command_id: int, params: Any) -> None:
    """Change how a pending command will be sent (e.g. the 1.6 certificate install's DataTransfer variant)."""
    store.write(lambda db: db["commands"].update(command_id, {"params": json.dumps(params), "status": "pending"}))


