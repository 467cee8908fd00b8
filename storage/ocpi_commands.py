"""Commands OCPI partners sent (START_SESSION ...): the outbox command carrying each, and the CommandResult sent."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store, select_one

_OPEN = (
    "SELECT o.*, c.status AS command_status, c.action AS action, c.response AS response FROM ocpi_commands o"
    " LEFT JOIN commands c ON c.id = o.command_id WHERE o.result_at IS NULL ORDER BY o.id"
)


def add_command(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    """Record a partner's command inside the write job that queues its outbox command; its id."""
    return int(db["ocpi_commands"].insert({**row, "created_at": utc_now_iso()}).last_pk)


def open_commands(store: Store) -> list[dict[str, Any]]:
    """Commands whose result is not sent yet, with their outbox command's status, action and response (JSON text)."""
    def read(db: sqlite_utils.Database) -> list[dict[str, Any]]:
        cursor = db.execute(_OPEN)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    return store.read(read)


def set_result(db: sqlite_utils.Database, ocpi_command_id: int, result: str) -> None:
    """Record the CommandResult sent, inside the write job that queues it."""
    db["ocpi_commands"].update(ocpi_command_id, {"result": result, "result_at": utc_now_iso()})


def expire_if_unsent(db: sqlite_utils.Database, command_id: int) -> None:
    """An outbox command still waiting to go out expires: its partner was told TIMEOUT (a late start would surprise)."""
    db.execute(
        "UPDATE commands SET status = 'expired', completed_at = ? WHERE id = ? AND status = 'pending'",
        [utc_now_iso(), command_id],
    )


def find_reservation(store: Store, party_id: int, reservation_ref: str) -> dict[str, Any] | None:
    """The party's latest RESERVE_NOW with this reservation_id (its station and OCPP reservation id), or None."""
    sql = (
        "SELECT * FROM ocpi_commands WHERE party_id = ? AND reservation_ref = ? AND command = 'RESERVE_NOW'"
        " ORDER BY id DESC LIMIT 1"
    )
    return store.read(lambda db: select_one(db, sql, [party_id, reservation_ref]))


def was_started_by_command(db: sqlite_utils.Database, cs_id: str, token_uid: str, period: tuple[str, str]) -> bool:
    """Whether a partner's START_SESSION for this station and token, not refused, came in `period` (before a
    transaction was created): its session's auth_method is COMMAND."""
    sql = (
        "SELECT 1 FROM ocpi_commands WHERE cs_id = ? AND token_uid = ? AND command = 'START_SESSION'"
        " AND coalesce(result, 'ACCEPTED') = 'ACCEPTED' AND created_at >= ? AND created_at <= ? LIMIT 1"
    )
    return db.execute(sql, [cs_id, token_uid, *period]).fetchone() is not None
