"""Turns what happened into pushes, after each commit: location saves, located stations' connector statuses and
connections, their transactions starting and ending (trigger-filled change log), finished or overdue partner commands,
and, at an interval, the energy of active sessions. Each batch is one write job: the change is forgotten in the commit
that queues its pushes."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import sqlite_utils

from ocpi.commands import command_result
from ocpi.context import OcpiContext
from ocpi.locations import evse_status, queue_evse_status, queue_location
from ocpi.partners import receivers
from ocpi.sender import Sender
from ocpi.sessions import queue_session, queue_session_update
from storage import locations, ocpi_changes, ocpi_commands, ocpi_pushes, ocpi_sessions, parties, utc_now_iso

log = logging.getLogger(__name__)

IDLE_SECONDS = 1.0  # also how often command deadlines are checked
SETTLE_SECONDS = 0.1  # commits come in bursts: one pass after the burst


class Watcher:
    """Woken by the store after every commit."""

    def __init__(self, context: OcpiContext, sender: Sender) -> None:
        self.context, self.sender = context, sender
        self._changed = threading.Event()
        self._running = False
        self._sessions_checked = time.monotonic()

    def start(self) -> None:
        self._running = True
        self.context.store.on_commit(self._changed.set)
        threading.Thread(target=self._run, name="ocpi-watcher", daemon=True).start()

    def stop(self) -> None:
        self._running = False
        self._changed.set()

    def _run(self) -> None:
        while self._running:
            self._changed.wait(IDLE_SECONDS)
            self._changed.clear()
            time.sleep(SETTLE_SECONDS)
            for step in (self.apply_changes, self.finish_commands, self.update_sessions):
                try:
                    step()
                except Exception:
                    log.exception("OCPI watcher: %s failed", step.__name__)

    # -- the change log ------------------------------------------------------------------------------------------
    def apply_changes(self) -> None:
        """Queue the pushes of every logged change, and forget the changes, in one commit."""
        changes = ocpi_changes.take_changes(self.context.store)
        if not changes:
            return
        now = utc_now_iso()
        handlers: dict[str, Callable[[sqlite_utils.Database, dict[str, Any], str], None]] = {
            "location": self._location, "station": self._station, "transaction": self._transaction,
        }  # fmt: skip

        def job(db: sqlite_utils.Database) -> None:
            for change in changes:
                handlers[change["kind"]](db, change, now)
            ocpi_changes.forget_changes(db, changes[-1]["id"])

        self.context.store.write(job)
        self.sender.wake()

    def _station_status(self, db: sqlite_utils.Database, cs_id: str) -> Callable[[dict[str, Any]], str]:
        connected, statuses = ocpi_changes.station_statuses(db, cs_id)
        return lambda row: evse_status(connected, statuses, row["connector_ids"])

    def _location(self, db: sqlite_utils.Database, change: dict[str, Any], now: str) -> None:
        for row in locations.evse_rows(db, change["ref"]):  # the PUT carries the live statuses
            if row["cs_id"]:
                locations.set_evse_status(db, row["location_id"], row["uid"], self._station_status(db, row["cs_id"])(row), now)
        queue_location(db, self.context.config, change["ref"], receivers(db, "locations"))

    def _station(self, db: sqlite_utils.Database, change: dict[str, Any], now: str) -> None:
        status_of = self._station_status(db, change["cs_id"])
        for row in locations.evses_of_station(db, change["cs_id"]):
            status = status_of(row)
            if status != row["status"]:
                queue_evse_status(db, self.context.config, row, status, now)

    def _transaction(self, db: sqlite_utils.Database, change: dict[str, Any], now: str) -> None:
        cs_id, transaction_id = change["cs_id"], change["ref"]
        transaction = ocpi_sessions.find_transaction(db, cs_id, transaction_id)
        if transaction is None or not transaction["id_token"] or transaction["auth_status"] != "Accepted":
            return  # not a session: nobody was authorised
        row = ocpi_sessions.find_session(db, cs_id, transaction_id) or self._new_session(db, transaction, now)
        if row is None or row["status"] == "COMPLETED":
            return
        if transaction["status"] == "ended":
            row |= {"status": "COMPLETED", "cdr_at": now, "last_updated": now}
            ocpi_sessions.update_session(db, row["id"], {name: row[name] for name in ("status", "cdr_at", "last_updated")})
        party = parties.find_party(db, row["party_id"]) if row["party_id"] else None
        if party is not None and parties.is_connected(party):
            queue_session(db, self.context, row, party)

    def _new_session(self, db: sqlite_utils.Database, transaction: dict[str, Any], now: str) -> dict[str, Any] | None:
        evses = locations.evses_of_station(db, transaction["cs_id"])
        evse = next((row for row in evses if transaction["evse_id"] in row["connector_ids"]), evses[0] if evses else None)
        if evse is None:
            return None
        token = ocpi_sessions.find_token(db, transaction["id_token"]) or {}
        owner = parties.owner_of(db, token.get("country_code"), token.get("party_id"))
        row = {
            "cs_id": transaction["cs_id"], "transaction_id": transaction["transaction_id"],
            "party_id": owner["id"] if owner else None, "location_id": evse["location_id"], "evse_uid": evse["uid"],
            "status": "ACTIVE", "kwh": 0.0, "last_updated": now,
        }  # fmt: skip
        return {**row, "id": ocpi_sessions.add_session(db, row), "cdr_at": None}

    # -- partner commands ----------------------------------------------------------------------------------------
    def finish_commands(self) -> None:
        """Queue the CommandResult of every command the station answered, failed or did not answer in time."""
        rows = ocpi_commands.open_commands(self.context.store)
        now = utc_now_iso()
        decided = [(row, result) for row in rows if (result := command_result(row, now)) is not None]
        if not decided:
            return

        def job(db: sqlite_utils.Database) -> None:
            for row, result in decided:
                ocpi_commands.set_result(db, row["id"], result)
                if result == "TIMEOUT" and row["command_id"]:
                    ocpi_commands.expire_if_unsent(db, row["command_id"])
                ocpi_pushes.queue_push(db, row["party_id"], "url", "POST", row["response_url"], {"result": result})

        self.context.store.write(job)
        self.sender.wake()

    # -- session energy ------------------------------------------------------------------------------------------
    def update_sessions(self) -> None:
        """Every session interval: PATCH the energy of active sessions that charged since the last push."""
        if time.monotonic() - self._sessions_checked < self.context.config.ocpi_session_interval:
            return
        self._sessions_checked = time.monotonic()
        active = ocpi_sessions.active_sessions(self.context.store)
        if not active:
            return
        now = utc_now_iso()

        def job(db: sqlite_utils.Database) -> None:
            for row in active:
                transaction = ocpi_sessions.find_transaction(db, row["cs_id"], row["transaction_id"]) or {}
                kwh = round(ocpi_sessions.energy_wh(db, transaction) / 1000, 3) if transaction else row["kwh"]
                if kwh == row["kwh"]:
                    continue
                ocpi_sessions.update_session(db, row["id"], {"kwh": kwh, "last_updated": now})
                party = parties.find_party(db, row["party_id"]) if row["party_id"] else None
                if party is not None and parties.is_connected(party):
                    queue_session_update(db, self.context.config, {**row, "kwh": kwh, "last_updated": now}, party)

        self.context.store.write(job)
        self.sender.wake()
