"""Transactions and their meter values, read side (the handlers write them)."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.database import Store


def list_transactions(store: Store, cs_id: str | None, offset: int, limit: int) -> list[dict[str, Any]]:
    """Transactions newest first (in the order the CSMS learned of them), optionally of one station."""
    where, args = ("cs_id = ?", [cs_id]) if cs_id is not None else (None, [])
    order = "rowid DESC"  # arrival order: station clocks and offsets make started_at text unsortable
    return store.read(
        lambda db: list(db["transactions"].rows_where(where, args, order_by=order, limit=limit, offset=offset))
    )


def get_transaction(store: Store, transaction_id: str, cs_id: str | None = None) -> dict[str, Any] | None:
    """The transaction with this id (the newest if stations share it) with its `meter_values`, or None."""

    def read(db: sqlite_utils.Database) -> dict[str, Any] | None:
        where, args = "transaction_id = ?", [transaction_id]
        if cs_id is not None:
            where, args = where + " AND cs_id = ?", args + [cs_id]
        order = "rowid DESC"  # arrival order: station clocks and offsets make started_at text unsortable
        found = next(db["transactions"].rows_where(where, args, order_by=order, limit=1), None)
        if found is not None:
            found["meter_values"] = list(
                db["meter_values"].rows_where(
                    "cs_id = ? AND transaction_id = ?", [found["cs_id"], transaction_id], order_by="id"
                )
            )
        return found

    return store.read(read)


def find_active_transaction(db: sqlite_utils.Database, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The station's active transaction with this id, inside a read or write job."""
    where = "cs_id = ? AND transaction_id = ? AND status = 'active'"
    return next(db["transactions"].rows_where(where, [cs_id, transaction_id], limit=1), None)
