"""Reservations: requested with their ReserveNow command, reserved or rejected by the station's answer, then used by
a transaction, cancelled, expired or removed."""
from __future__ import annotations

import secrets
from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store

# The status as of :now: a reserved one past its expiry is expired and a requested one whose command ended without
# an answer failed, before the outbox's sweep writes that down.
_STATUS_NOW = (
    "CASE WHEN status = 'reserved' AND expires_at <= :now THEN 'expired'"
    " WHEN status = 'requested' AND (SELECT c.status FROM commands c WHERE c.id = reservations.command_id)"
    " IN ('failed', 'expired') THEN 'failed' ELSE status END"
)
_SELECT = (
    "SELECT reservation_id, evse_id, id_token, id_token_type, group_id_token, expiry_date, station_status, command_id,"
    f" transaction_id, created_at, updated_at, {_STATUS_NOW} AS status FROM reservations"
)
_OPEN = "status IN ('requested', 'reserved')"


def unused_reservation_id(store: Store, cs_id: str) -> int:
    """A random positive 31-bit reservation id that none of the station's reservations has."""
    sql = "SELECT reservation_id FROM reservations WHERE cs_id = ?"
    taken = store.read(lambda db: {row[0] for row in db.execute(sql, [cs_id])})
    while (candidate := secrets.randbelow(2**31 - 1) + 1) in taken:
        pass
    return candidate


def add_requested(db: sqlite_utils.Database, cs_id: str, reservation: dict[str, Any], command_id: int) -> None:
    """Record the reservation a queued ReserveNow asks for, inside the command's write job; one with the same id is
    replaced, as the station will replace it."""
    now = utc_now_iso()
    row = {"cs_id": cs_id, **reservation, "status": "requested", "command_id": command_id, "created_at": now}
    db["reservations"].insert(row | {"updated_at": now}, replace=True)


def save_answer(db: sqlite_utils.Database, command_id: int, station_status: str | None) -> None:
    """The station's ReserveNow answer: Accepted → reserved, any other status → rejected (a transaction that already
    used it keeps it used)."""
    status = "reserved" if station_status == "Accepted" else "rejected"
    db.execute(
        "UPDATE reservations SET station_status = ?, updated_at = ?,"
        " status = CASE WHEN status = 'requested' THEN ? ELSE status END WHERE command_id = ?",
        [station_status, utc_now_iso(), status, command_id],
    )


def fail_requested(db: sqlite_utils.Database, command_id: int) -> None:
    """The ReserveNow of this command ended without an answer (CALLERROR, no answer): its reservation failed."""
    sql = "UPDATE reservations SET status = 'failed', updated_at = ? WHERE command_id = ? AND status = 'requested'"
    db.execute(sql, [utc_now_iso(), command_id])


def _end(db: sqlite_utils.Database, cs_id: str, reservation_id: int, status: str) -> bool:
    sql = f"UPDATE reservations SET status = ?, updated_at = ? WHERE cs_id = ? AND reservation_id = ? AND {_OPEN}"
    return db.execute(sql, [status, utc_now_iso(), cs_id, reservation_id]).rowcount == 1


def cancel(db: sqlite_utils.Database, cs_id: str, reservation_id: int) -> None:
    """The station accepted our CancelReservation."""
    _end(db, cs_id, reservation_id, "cancelled")


def end_by_station(store: Store, cs_id: str, reservation_id: int, status: str) -> bool:
    """The station ended its reservation (2.0.1 ReservationStatusUpdate: expired, removed); False when it has no open
    reservation with this id here."""
    return store.write(lambda db: _end(db, cs_id, reservation_id, status))


def mark_used(db: sqlite_utils.Database, cs_id: str, reservation_id: int, transaction_id: str) -> bool:
    """A transaction of this station started with this reservation id, inside the transaction's write job; False when
    the station has no such open reservation (a repeated start of the same transaction counts as found)."""
    sql = (
        "UPDATE reservations SET status = 'used', transaction_id = ?, updated_at = ? WHERE cs_id = ?"
        f" AND reservation_id = ? AND ({_OPEN} OR (status = 'used' AND transaction_id = ?))"
    )
    return db.execute(sql, [transaction_id, utc_now_iso(), cs_id, reservation_id, transaction_id]).rowcount == 1


def expire_due(store: Store) -> int:
    """Write down what time decided: reserved past expiry → expired, requested with a dead command → failed."""
    sql = f"UPDATE reservations SET status = {_STATUS_NOW}, updated_at = :now WHERE {_OPEN} AND {_STATUS_NOW} != status"
    return store.write(lambda db: db.execute(sql, {"now": utc_now_iso()}).rowcount)


def list_reservations(store: Store, cs_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """The station's reservations, newest first, with their status as of now."""
    sql = f"{_SELECT} WHERE cs_id = :cs_id ORDER BY id DESC LIMIT :limit OFFSET :offset"
    params = {"now": utc_now_iso(), "cs_id": cs_id, "limit": limit, "offset": offset}
    return store.read_off_hub(lambda db: [dict(row) for row in db.query(sql, params)])


def get_reservation(store: Store, cs_id: str, reservation_id: int) -> dict[str, Any] | None:
    """The station's reservation with this OCPP id, with its status as of now; or None."""
    sql = f"{_SELECT} WHERE cs_id = :cs_id AND reservation_id = :reservation_id"
    params = {"now": utc_now_iso(), "cs_id": cs_id, "reservation_id": reservation_id}
    return store.read(lambda db: next(db.query(sql, params), None))
