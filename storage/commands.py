"""The outbox's rows as the API writes and reads them: queue a command, find a pending twin, list, get."""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

JSON_COLUMNS = ("params", "request", "response")


def queue_command(
    db: sqlite_utils.Database, cs_id: str, operation: str, params: Any, origin: str = "api"
) -> int:
    """Insert a pending command inside the caller's write job; returns its id."""
    row = {
        "cs_id": cs_id,
        "operation": operation,
        "params": json.dumps(params, sort_keys=True),
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


def list_commands(store: Store, cs_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """The station's commands, newest first."""
    return store.read(
        lambda db: [
            decode_command(row)
            for row in db["commands"].rows_where("cs_id = ?", [cs_id], order_by="id DESC", limit=limit, offset=offset)
        ]
    )


def get_command(store: Store, cs_id: str, command_id: int) -> dict[str, Any] | None:
    """One command of the station, or None."""
    row = store.read(lambda db: next(db["commands"].rows_where("cs_id = ? AND id = ?", [cs_id, command_id]), None))
    return decode_command(row) if row is not None else None
