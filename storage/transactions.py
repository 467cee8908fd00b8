"""Transactions and their meter values, read side (the handlers write them); API reads, so off the event loop."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import meter_values
from storage.database import JsonPage, Store, select_one


def list_transactions(store: Store, cs_id: str | None, offset: int, limit: int) -> list[dict[str, Any]]:
    """Transactions newest first (in the order the CSMS learned of them), optionally of one station."""
    where, args = ("cs_id = ?", [cs_id]) if cs_id is not None else (None, [])
    order = "rowid DESC"  # arrival order: station clocks and offsets make started_at text unsortable
    return store.read_off_hub(
        lambda db: list(db["transactions"].rows_where(where, args, order_by=order, limit=limit, offset=offset))
    )


def get_transaction(store: Store, transaction_id: str, cs_id: str | None, page: JsonPage) -> dict[str, Any] | None:
    """The transaction with this id (the newest if stations share it), or None. Its `meter_values_json` holds `page`
    of its meter values, oldest first, as JSON text (see `meter_values.page_json`)."""

    def read(db: sqlite_utils.Database) -> dict[str, Any] | None:
        found = _find(db, transaction_id, cs_id)
        if found is not None:
            found["meter_values_json"] = meter_values.page_json(db, found["cs_id"], transaction_id, page)
        return found

    return store.read_off_hub(read)


def get_meter_values(store: Store, transaction_id: str, cs_id: str | None, page: JsonPage) -> str | None:
    """`page` of the transaction's meter values as JSON text, as in `get_transaction`; None for no such transaction."""

    def read(db: sqlite_utils.Database) -> str | None:
        found = _find(db, transaction_id, cs_id)
        return None if found is None else meter_values.page_json(db, found["cs_id"], transaction_id, page)

    return store.read_off_hub(read)


def _find(db: sqlite_utils.Database, transaction_id: str, cs_id: str | None) -> dict[str, Any] | None:
    # rowid DESC: arrival order (station clocks and offsets make started_at text unsortable)
    if cs_id is None:
        sql, args = "SELECT * FROM transactions WHERE transaction_id = ? ORDER BY rowid DESC LIMIT 1", [transaction_id]
    else:
        sql, args = "SELECT * FROM transactions WHERE transaction_id = ? AND cs_id = ?", [transaction_id, cs_id]
    return select_one(db, sql, args)


def find_active_transaction(db: sqlite_utils.Database, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The station's active transaction with this id, inside a read or write job."""
    where = "cs_id = ? AND transaction_id = ? AND status = 'active'"
    return next(db["transactions"].rows_where(where, [cs_id, transaction_id], limit=1), None)


def search_transactions(
    store: Store, filters: dict[str, str | None], offset: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    """Transactions newest first matching `filters` (cs_id, id_token: exact; status: active or ended), off the event
    loop."""
    wheres = [f"{name} = ?" for name in ("cs_id", "id_token", "status") if filters.get(name)]
    args = [filters[name] for name in ("cs_id", "id_token", "status") if filters.get(name)]
    where = " AND ".join(wheres) or None
    return store.read_off_hub(
        lambda db: list(db["transactions"].rows_where(where, args, order_by="rowid DESC", limit=limit, offset=offset))
    )


def find_transaction(store: Store, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The station's transaction with this id, or None."""
    sql = "SELECT * FROM transactions WHERE cs_id = ? AND transaction_id = ?"
    return store.read(lambda db: select_one(db, sql, [cs_id, transaction_id]))
