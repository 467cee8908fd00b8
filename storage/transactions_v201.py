"""OCPP 2.0.1 transactions keyed (station, transactionId): events, seqNo bookkeeping, meter values, energy."""
from __future__ import annotations

import functools
import json
from datetime import datetime, timezone
from dataclasses import dataclass
from typing import Any, Callable

import orjson
import sqlite_utils

from storage import reservations, utc_now_iso
from storage.database import Store, insert_rows, select_one, update_row
from storage.meter_values import insert_meter_values

# The transaction (with its rowid) and whether this seqNo is already stored for it, in one statement.
_EXISTING_SQL = (
    "SELECT t.rowid AS row_id, t.*, EXISTS (SELECT 1 FROM transaction_events e WHERE e.cs_id = t.cs_id"
    " AND e.transaction_id = t.transaction_id AND e.seq_no = ?) AS seq_seen"
    " FROM transactions t WHERE t.cs_id = ? AND t.transaction_id = ?"
)
# Reads an energy register in Wh from a meter_values row, None when the row is no such reading.
RegisterReader = Callable[[dict[str, Any]], "float | None"]


@dataclass(frozen=True)
class EventOutcome:
    """What storing one TransactionEvent did to its transaction."""

    is_duplicate: bool
    status: str
    energy_wh: float | None
    reservation_used: bool | None = None  # whether its reservationId named an open reservation (None: it named none)


def record_event(
    store: Store,
    cs_id: str,
    event: dict[str, Any],
    meter_rows: list[dict[str, Any]],
    auth_status: str | None,
    register_wh: RegisterReader,
) -> EventOutcome:
    """Store a TransactionEvent durably (a repeated seqNo only counts as a duplicate) and update its transaction."""
    transaction_id = event["transactionInfo"]["transactionId"]

    def job(db: sqlite_utils.Database) -> EventOutcome:
        found = select_one(db, _EXISTING_SQL, [event["seqNo"], cs_id, transaction_id])
        now = utc_now_iso()
        if found is None:
            row_id, existing = None, {}
        else:
            row_id, seen, existing = found.pop("row_id"), found.pop("seq_seen"), found
            if seen:
                db.execute(
                    "UPDATE transactions SET seq_duplicates = seq_duplicates + 1, updated_at = ? WHERE rowid = ?",
                    [now, row_id],
                )
                return EventOutcome(True, existing["status"], existing["energy"])
        row = _merged_transaction(existing, event, auth_status, now)
        insert_rows(db, "transaction_events", [_event_row(cs_id, transaction_id, event, now)])
        merged = {**existing, **row}
        insert_meter_values(db, cs_id, meter_rows, merged.get("evse_id"), merged.get("connector_id"), transaction_id)
        row.update(_energy(existing, meter_rows, register_wh, ended=row["status"] == "ended"))
        if row_id is None:
            insert_rows(db, "transactions", [{"cs_id": cs_id, "transaction_id": transaction_id, **row}])
        else:  # only what changed: an Updated event touches a few unindexed columns
            update_row(db, "transactions", row_id, {name: value for name, value in row.items() if existing.get(name) != value})
        used = None
        if "reservationId" in event:
            used = reservations.mark_used(db, cs_id, event["reservationId"], transaction_id)
        return EventOutcome(False, row["status"], row["energy"], used)

    return store.write(job)


def get_transaction(store: Store, cs_id: str, transaction_id: str) -> dict[str, Any] | None:
    """The transaction row, or None."""
    sql = "SELECT * FROM transactions WHERE cs_id = ? AND transaction_id = ?"
    return store.read(lambda db: select_one(db, sql, [cs_id, transaction_id]))


def list_events(store: Store, cs_id: str, transaction_id: str) -> list[dict[str, Any]]:
    """The transaction's stored events in arrival order."""
    return store.read(
        lambda db: list(
            db["transaction_events"].rows_where(
                "cs_id = ? AND transaction_id = ?", [cs_id, transaction_id], order_by="id"
            )
        )
    )


def _event_row(cs_id: str, transaction_id: str, event: dict[str, Any], now: str) -> dict[str, Any]:
    evse = event.get("evse") or {}
    info = event["transactionInfo"]
    return {
        "cs_id": cs_id,
        "transaction_id": transaction_id,
        "event_type": event["eventType"],
        "seq_no": event["seqNo"],
        "timestamp": event["timestamp"],
        "trigger_reason": event["triggerReason"],
        "offline": int(event.get("offline", False)),
        "charging_state": info.get("chargingState"),
        "stopped_reason": info.get("stoppedReason"),
        "remote_start_id": info.get("remoteStartId"),
        "evse_id": evse.get("id"),
        "connector_id": evse.get("connectorId"),
        "id_token": (event.get("idToken") or {}).get("idToken"),
        "body": orjson.dumps(event).decode(),
        "received_at": now,
    }


def _merged_transaction(
    existing: dict[str, Any], event: dict[str, Any], auth_status: str | None, now: str
) -> dict[str, Any]:
    """The transaction columns after this event; `existing` is {} for the first event of any type."""
    info = event["transactionInfo"]
    seq_no = event["seqNo"]
    last_seq_no = existing.get("last_seq_no")
    is_latest = last_seq_no is None or seq_no >= last_seq_no
    row: dict[str, Any] = {
        "updated_at": now,
        "status": existing.get("status", "active"),
        "last_seq_no": seq_no if is_latest else last_seq_no,
    }
    if not existing:
        row.update(created_at=now, seq_duplicates=0, offline=0)
    row["seq_gaps"] = _gaps_after(existing.get("seq_gaps"), last_seq_no, seq_no)
    if event.get("offline"):
        row["offline"] = 1
    evse = event.get("evse") or {}
    if "id" in evse:
        row["evse_id"] = evse["id"]
    if "connectorId" in evse:
        row["connector_id"] = evse["connectorId"]
    row.update(_token_columns(existing, event.get("idToken"), auth_status))
    if event["eventType"] == "Started" or not existing.get("started_at"):
        row["started_at"] = event["timestamp"]
    if is_latest:
        for column, field in (("charging_state", "chargingState"), ("remote_start_id", "remoteStartId")):
            if field in info:
                row[column] = info[field]
    if "reservationId" in event:
        row["reservation_id"] = event["reservationId"]
    if event["eventType"] == "Ended":
        # Part 2: stoppedReason may be omitted when it is Local.
        row.update(status="ended", stopped_at=event["timestamp"], stop_reason=info.get("stoppedReason", "Local"))
    return row


def _token_columns(existing: dict[str, Any], id_token: dict[str, Any] | None, auth_status: str | None) -> dict:
    if not id_token:
        return {}
    if not existing.get("id_token"):
        return {"id_token": id_token["idToken"], "id_token_type": id_token["type"], "auth_status": auth_status}
    if id_token["idToken"] != existing["id_token"]:
        return {"stop_id_token": id_token["idToken"]}
    return {}


def _gaps_after(stored: str | None, last_seq_no: int | None, seq_no: int) -> str | None:
    """The missing seqNo ranges [[from, to], ...] after seeing `seq_no`; a new transaction expects 0 first."""
    gaps: list[list[int]] = json.loads(stored) if stored else []
    expected = 0 if last_seq_no is None else last_seq_no + 1
    if seq_no > expected:
        gaps.append([expected, seq_no - 1])
    elif seq_no < expected:
        gaps = _without(gaps, seq_no)
    return json.dumps(gaps) if gaps else None


def _without(gaps: list[list[int]], seq_no: int) -> list[list[int]]:
    result: list[list[int]] = []
    for low, high in gaps:
        if not low <= seq_no <= high:
            result.append([low, high])
            continue
        if low < seq_no:
            result.append([low, seq_no - 1])
        if seq_no < high:
            result.append([seq_no + 1, high])
    return result


def _energy(
    existing: dict[str, Any], meter_rows: list[dict[str, Any]], register_wh: RegisterReader, ended: bool
) -> dict[str, Any]:
    """meter_start, meter_stop (once ended) and energy in Wh: the first and last register reading by time so far.

    Kept on the transaction row as events arrive (out of order too), so no event re-reads the older readings.
    """
    first = (existing.get("meter_start_at"), existing.get("meter_start"))
    last = (existing.get("meter_last_at"), existing.get("meter_last"))
    for row in meter_rows:
        wh = register_wh(row)
        if wh is None:
            continue
        if first[0] is None or _instant(row["timestamp"]) < _instant(first[0]):
            first = (row["timestamp"], wh)
        if last[0] is None or _instant(row["timestamp"]) >= _instant(last[0]):
            last = (row["timestamp"], wh)
    if first[0] is None:
        return {"meter_start": None, "meter_stop": None, "energy": None}
    return {
        "meter_start_at": first[0], "meter_start": first[1], "meter_last_at": last[0], "meter_last": last[1],
        "meter_stop": last[1] if ended else None, "energy": last[1] - first[1],
    }


@functools.lru_cache(maxsize=4096)  # a transaction's first and last readings are compared again at every event
def _instant(timestamp: str) -> datetime:
    """A station's timestamp as an aware datetime (strings with other offsets or precision do not sort)."""
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
