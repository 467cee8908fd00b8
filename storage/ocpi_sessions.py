"""OCPI sessions: one row per transaction on a located station, giving it the Session (and CDR) id and what was last
pushed of it; the Session itself is built from the transaction when asked for."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.database import Store, select_one
from storage.locations import find_location

# The last energy register reading of a transaction in Wh (OCPP's defaults: that measurand, Wh, Outlet, no phase).
_LAST_REGISTER_WH = (
    "SELECT value_number * (CASE unit WHEN 'kWh' THEN 1000.0 ELSE 1.0 END) FROM meter_values"
    " WHERE cs_id = ? AND transaction_id = ? AND value_number IS NOT NULL"
    " AND coalesce(measurand, 'Energy.Active.Import.Register') = 'Energy.Active.Import.Register'"
    " AND phase IS NULL AND coalesce(location, 'Outlet') = 'Outlet' AND coalesce(unit, 'Wh') IN ('Wh', 'kWh')"
    " ORDER BY id DESC LIMIT 1"
)


def find_transaction(db: sqlite_utils.Database, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The transaction row, inside a read or write job."""
    sql = "SELECT * FROM transactions WHERE cs_id = ? AND transaction_id = ?"
    return select_one(db, sql, [cs_id, transaction_id])


def energy_wh(db: sqlite_utils.Database, transaction: dict[str, Any]) -> float:
    """Energy charged so far in Wh: the stored energy, else the last register reading minus the start (1.6 while
    charging); 0 when nothing tells."""
    if transaction.get("energy") is not None:
        return max(transaction["energy"], 0.0)
    found = db.execute(_LAST_REGISTER_WH, [transaction["cs_id"], transaction["transaction_id"]]).fetchone()
    if found is None or transaction.get("meter_start") is None:
        return 0.0
    return max(found[0] - transaction["meter_start"], 0.0)


def find_session(db: sqlite_utils.Database, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The session of a transaction, inside a read or write job."""
    return select_one(db, "SELECT * FROM ocpi_sessions WHERE cs_id = ? AND transaction_id = ?", [cs_id, transaction_id])


def get_session(store: Store, session_id: int) -> dict[str, Any] | None:
    """One session row by its OCPI id, or None."""
    return store.read(lambda db: select_one(db, "SELECT * FROM ocpi_sessions WHERE id = ?", [session_id]))


def add_session(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    """A new session, inside a write job; its OCPI id."""
    return int(db["ocpi_sessions"].insert(row).last_pk)


def update_session(db: sqlite_utils.Database, session_id: int, changes: dict[str, Any]) -> None:
    """Change a session's columns, inside a write job."""
    db["ocpi_sessions"].update(session_id, changes)


def active_sessions(store: Store) -> list[dict[str, Any]]:
    """Sessions not yet completed, oldest first."""
    return store.read(lambda db: list(db["ocpi_sessions"].rows_where("status = 'ACTIVE'", order_by="id")))


def page_sessions(
    store: Store, party_id: int, column: str, period: tuple[str | None, str | None], offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many, the page oldest first) of the party's sessions whose `column` (last_updated, or cdr_at for CDRs)
    is in [from, to)."""
    if column not in ("last_updated", "cdr_at"):
        raise ValueError(column)
    clauses, args = [f"party_id = ? AND {column} IS NOT NULL"], [party_id]
    for operator, value in zip((">=", "<"), period):
        if value:
            clauses.append(f"{column} {operator} ?")
            args.append(value)
    where = " AND ".join(clauses)

    def read(db: sqlite_utils.Database) -> tuple[int, list[dict[str, Any]]]:
        total = db.execute(f"SELECT count(*) FROM ocpi_sessions WHERE {where}", args).fetchone()[0]
        rows = db["ocpi_sessions"].rows_where(where, args, order_by="id", limit=limit, offset=offset)
        return total, list(rows)

    return store.read_off_hub(read)


def session_facts(db: sqlite_utils.Database, row: dict[str, Any]) -> dict[str, Any]:
    """What a Session or CDR is made of, inside a read or write job: its transaction (with `energy_wh` so far), the
    token that started it (None: unknown here) and its location (`locations.find_location`, None: gone)."""
    transaction = find_transaction(db, row["cs_id"], row["transaction_id"]) or {}
    if transaction:
        transaction["energy_wh"] = energy_wh(db, transaction)
    token = find_token(db, transaction.get("id_token"))
    return {"transaction": transaction, "token": token, "location": find_location(db, row["location_id"])}


def find_token(db: sqlite_utils.Database, uid: str) -> dict[str, Any] | None:
    """The stored token with this uid, inside a read or write job."""
    return select_one(db, "SELECT * FROM tokens WHERE uid = ?", [uid])
