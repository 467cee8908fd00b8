"""OCPP 1.6 transactions: random unique ids, starts, stops with ownership checks, linked meter values."""
from __future__ import annotations

import json
import secrets
from typing import Any, NamedTuple

import sqlite_utils

from storage import reservations, utc_now_iso
from storage.database import Store, select_one
from storage.meter_values import insert_meter_values

MAX_TRANSACTION_ID = 2**31 - 1  # 1.6 transactionId is a JSON integer; stay within int32 for chargers


def _new_transaction_id(db: sqlite_utils.Database) -> str:
    # Unpredictable ids: a station cannot guess another's transaction (SteVe #1296). Checked inside the job.
    while True:
        candidate = str(secrets.randbelow(MAX_TRANSACTION_ID) + 1)
        if db.execute("SELECT 1 FROM transactions WHERE transaction_id = ? LIMIT 1", [candidate]).fetchone() is None:
            return candidate


class StartOutcome(NamedTuple):
    """A stored StartTransaction: its transaction id, and whether its reservationId named an open reservation of the
    station (None: it named none)."""

    transaction_id: str
    reservation_used: bool | None


def start_transaction(
    store: Store,
    cs_id: str,
    connector_id: int,
    id_tag: str,
    meter_start: int,
    timestamp: str,
    auth_status: str,
    reservation_id: int | None,
) -> StartOutcome:
    """Store a StartTransaction (also a refused one); an identical repeat gets the same id. The reservation it names
    is used by it, in the same commit."""
    row = {
        "cs_id": cs_id, "evse_id": connector_id, "connector_id": 1 if connector_id else 0, "id_token": id_tag,
        "id_token_type": "IdTag", "auth_status": auth_status, "started_at": timestamp, "meter_start": meter_start,
        "status": "active", "reservation_id": reservation_id,
    }  # fmt: skip

    def job(db: sqlite_utils.Database) -> StartOutcome:
        transaction_id = _repeated_start(db, row) or _insert_start(db, row)
        if reservation_id is None:
            return StartOutcome(transaction_id, None)
        return StartOutcome(transaction_id, reservations.mark_used(db, cs_id, reservation_id, transaction_id))

    return store.write(job)


def _repeated_start(db: sqlite_utils.Database, row: dict[str, Any]) -> str | None:
    found = db.execute(
        "SELECT transaction_id FROM transactions WHERE cs_id = ? AND evse_id = ? AND id_token = ?"
        " AND started_at = ? AND meter_start = ? LIMIT 1",
        [row["cs_id"], row["evse_id"], row["id_token"], row["started_at"], row["meter_start"]],
    ).fetchone()
    return None if found is None else found[0]


def _insert_start(db: sqlite_utils.Database, row: dict[str, Any]) -> str:
    transaction_id = _new_transaction_id(db)
    now = utc_now_iso()
    db["transactions"].insert({**row, "transaction_id": transaction_id, "created_at": now, "updated_at": now})
    return transaction_id


def stop_transaction(
    store: Store,
    cs_id: str,
    transaction_id: str,
    meter_stop: int,
    timestamp: str,
    reason: str,
    id_tag: str | None,
    transaction_data: list[dict[str, Any]],
    meter_rows: list[dict[str, Any]],
) -> str:
    """End this station's transaction; returns "stopped", "already-stopped" or "unknown" (never another's).

    `meter_rows` (the transactionData's sampled values) are linked to the transaction and its connector.
    """

    def job(db: sqlite_utils.Database) -> str:
        row = select_one(
            db,
            "SELECT status, meter_start, evse_id, connector_id FROM transactions WHERE cs_id = ? AND transaction_id = ?",
            [cs_id, transaction_id],
        )
        if row is None:
            return "unknown"
        if row["status"] == "ended":
            return "already-stopped"
        db.execute(
            "UPDATE transactions SET stopped_at = ?, meter_stop = ?, energy = ?, stop_reason = ?, stop_id_token = ?,"
            " status = 'ended', transaction_data = ?, updated_at = ? WHERE cs_id = ? AND transaction_id = ?",
            [timestamp, meter_stop, meter_stop - (row["meter_start"] or 0), reason, id_tag,
             json.dumps(transaction_data) if transaction_data else None, utc_now_iso(), cs_id, transaction_id],
        )
        insert_meter_values(db, cs_id, meter_rows, row["evse_id"], row["connector_id"], transaction_id)
        return "stopped"

    return store.write(job)


def get_own_transaction(store: Store, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """This station's transaction with this id, or None."""
    sql = "SELECT * FROM transactions WHERE cs_id = ? AND transaction_id = ?"
    return store.read(lambda db: select_one(db, sql, [cs_id, transaction_id]))


def is_charging_elsewhere(store: Store, id_tag: str, cs_id: str, connector_id: int) -> bool:
    """Whether the token has an active transaction on another connector or station."""
    return store.read(
        lambda db: db.execute(
            "SELECT 1 FROM transactions WHERE id_token = ? AND status = 'active' AND auth_status = 'Accepted'"
            " AND NOT (cs_id = ? AND evse_id = ?) LIMIT 1",
            [id_tag, cs_id, connector_id],
        ).fetchone()
        is not None
    )


def add_meter_values(
    store: Store, cs_id: str, transaction_id: str | None, evse_id: int, connector_id: int, rows: list[dict[str, Any]]
) -> bool:
    """Store sampled values durably, linked to `transaction_id` only if it is this station's; returns whether linked."""

    def job(db: sqlite_utils.Database) -> bool:
        owned = transaction_id is not None and db.execute(
            "SELECT 1 FROM transactions WHERE cs_id = ? AND transaction_id = ?", [cs_id, transaction_id]
        ).fetchone() is not None
        insert_meter_values(db, cs_id, rows, evse_id, connector_id, transaction_id if owned else None)
        return owned

    return store.write(job)
