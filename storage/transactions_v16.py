"""OCPP 1.6 transactions: random unique ids, starts, stops with ownership checks, linked meter values."""
from __future__ import annotations

import json
import secrets
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

MAX_TRANSACTION_ID = 2**31 - 1  # 1.6 transactionId is a JSON integer; stay within int32 for chargers


def _new_transaction_id(db: sqlite_utils.Database) -> str:
    # Unpredictable ids: a station cannot guess another's transaction (SteVe #1296). Checked inside the job.
    while True:
        candidate = str(secrets.randbelow(MAX_TRANSACTION_ID) + 1)
        if db.execute("SELECT 1 FROM transactions WHERE transaction_id = ? LIMIT 1", [candidate]).fetchone() is None:
            return candidate


def start_transaction(
    store: Store,
    cs_id: str,
    connector_id: int,
    id_tag: str,
    meter_start: int,
    timestamp: str,
    auth_status: str,
    reservation_id: int | None,
) -> str:
    """Store a StartTransaction (also a refused one) and return its id; an identical repeat gets the same id."""

    def job(db: sqlite_utils.Database) -> str:
        repeat = db.execute(
            "SELECT transaction_id FROM transactions WHERE cs_id = ? AND evse_id = ? AND id_token = ?"
            " AND started_at = ? AND meter_start = ? LIMIT 1",
            [cs_id, connector_id, id_tag, timestamp, meter_start],
        ).fetchone()
        if repeat is not None:
            return repeat[0]
        transaction_id = _new_transaction_id(db)
        now = utc_now_iso()
        db["transactions"].insert(
            {
                "cs_id": cs_id,
                "transaction_id": transaction_id,
                "evse_id": connector_id,
                "connector_id": 1 if connector_id else 0,
                "id_token": id_tag,
                "id_token_type": "IdTag",
                "auth_status": auth_status,
                "started_at": timestamp,
                "meter_start": meter_start,
                "status": "active",
                "reservation_id": reservation_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        return transaction_id

    return store.write(job)


def stop_transaction(
    store: Store,
    cs_id: str,
    transaction_id: str,
    meter_stop: int,
    timestamp: str,
    reason: str,
    id_tag: str | None,
    meter_rows: list[dict[str, Any]],
) -> str:
    """End this station's transaction; returns "stopped", "already-stopped" or "unknown" (never another's)."""

    def job(db: sqlite_utils.Database) -> str:
        row = db.execute(
            "SELECT status, meter_start FROM transactions WHERE cs_id = ? AND transaction_id = ?",
            [cs_id, transaction_id],
        ).fetchone()
        if row is None:
            return "unknown"
        if row[0] == "ended":
            return "already-stopped"
        meter_start = row[1] or 0
        db["transactions"].update(
            (cs_id, transaction_id),
            {
                "stopped_at": timestamp,
                "meter_stop": meter_stop,
                "energy": meter_stop - meter_start,
                "stop_reason": reason,
                "stop_id_token": id_tag,
                "status": "ended",
                "updated_at": utc_now_iso(),
            },
        )
        if meter_rows:
            db["meter_values"].insert_all(meter_rows)
        return "stopped"

    return store.write(job)


def store_transaction_data(store: Store, cs_id: str, transaction_id: str, data: list[dict[str, Any]]) -> None:
    """Keep a StopTransaction's transactionData as sent (e.g. for an unknown transaction)."""
    store.write(
        lambda db: db.execute(
            "UPDATE transactions SET transaction_data = ? WHERE cs_id = ? AND transaction_id = ?",
            [json.dumps(data), cs_id, transaction_id],
        )
    )


def get_own_transaction(store: Store, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """This station's transaction with this id, or None."""
    return store.read(
        lambda db: next(
            db["transactions"].rows_where("cs_id = ? AND transaction_id = ?", [cs_id, transaction_id], limit=1), None
        )
    )


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


def add_meter_values(store: Store, rows: list[dict[str, Any]]) -> None:
    """Insert sampled values durably (committed before the CALLRESULT)."""
    if rows:
        store.write(lambda db: db["meter_values"].insert_all(rows))
