"""The outbox: one delivery loop per ready station, woken after commits, plus restart recovery and expiry (of
commands and reservations)."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from config import Config
from outbox.delivery import Delivery, Reply, StationLink, seconds_until_due
from storage import commands as rows
from storage import reservations
from storage.database import Store

log = logging.getLogger(__name__)

NO_RESEND_AFTER_RESTART = ("Reset", "RemoteStartTransaction", "RequestStartTransaction")
SWEEP_SECONDS = 30.0
IDLE_WAIT_SECONDS = 30.0


class _StationLoop:
    """Delivers a station's commands one at a time while its connection lives."""

    def __init__(
        self, outbox: Outbox, cs_id: str, link: StationLink, provisioning_only: bool, previous: _StationLoop | None
    ) -> None:
        self.outbox, self.cs_id, self.link = outbox, cs_id, link
        self.provisioning_only = provisioning_only
        self.previous = previous
        self.wake = threading.Event()
        self.finished = threading.Event()
        self.stopped = False

    def run(self) -> None:
        if self.previous is not None:
            # The replaced connection's loop may still wait for an answer to a command it sent: never send that
            # command a second time at once, let the old loop record its outcome first.
            self.previous.finished.wait(self.outbox.config.call_timeout + 5)
            self.previous = None
        delivery = Delivery(self.outbox.store, self.outbox.config, self.cs_id, self.link)
        try:
            self._deliver_while_open(delivery)
        finally:
            self.finished.set()
            self.outbox.loop_ended(self)

    def _deliver_while_open(self, delivery: Delivery) -> None:
        while not self.stopped:
            self.wake.clear()
            try:
                command = rows.next_command(self.outbox.store, self.cs_id, self.provisioning_only)
                wait = IDLE_WAIT_SECONDS if command is None else seconds_until_due(command)
                if command is not None and wait == 0:
                    delivery.deliver(command)
                    continue
            except Exception:  # a bug here must not end delivery for this station
                log.exception("[%s] outbox delivery failed", self.cs_id)
                wait = IDLE_WAIT_SECONDS
            self.wake.wait(wait)


class Outbox:
    """Queued commands go out over live connections; see `station_ready` and `station_gone`."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store, self.config = store, config
        self._loops: dict[str, _StationLoop] = {}
        self._lock = threading.Lock()
        self._committed = threading.Event()
        self._last_command_id = 0
        self._running = False

    def start(self) -> None:
        """Recover from the last run, then watch for new commands and expired ones."""
        resent = rows.recover_after_restart(self.store, NO_RESEND_AFTER_RESTART, self.config.call_timeout)
        if resent:
            log.info("outbox: %d commands sent before the restart go out again", resent)
        self._last_command_id = rows.max_command_id(self.store)
        self._running = True
        self.store.on_commit(self._committed.set)
        threading.Thread(target=self._watch_new_commands, name="outbox-wake", daemon=True).start()
        threading.Thread(target=self._sweep, name="outbox-sweep", daemon=True).start()

    def stop(self) -> None:
        self._running = False
        self._committed.set()
        with self._lock:
            for loop in self._loops.values():
                loop.stopped = True
                loop.wake.set()

    def station_ready(self, cs_id: str, link: StationLink, provisioning_only: bool = False) -> None:
        """The station is connected and may receive commands (its boot was accepted, or pending: provisioning only)."""
        with self._lock:
            old = self._loops.get(cs_id)
            if old is not None and old.link == link and old.provisioning_only == provisioning_only:
                old.wake.set()
                return
            if old is not None:
                old.stopped = True
                old.wake.set()
            loop = _StationLoop(self, cs_id, link, provisioning_only, old)
            self._loops[cs_id] = loop
        threading.Thread(target=loop.run, name=f"outbox-{cs_id}", daemon=True).start()

    def station_gone(self, cs_id: str, link: Any) -> None:
        """The connection closed: stop its loop (a newer connection's loop is left alone)."""
        with self._lock:
            loop = self._loops.get(cs_id)
            if loop is None or loop.link != link:
                return
            del self._loops[cs_id]
        loop.stopped = True
        loop.wake.set()

    def late_reply(self, cs_id: str, link: StationLink, reply: Reply) -> None:
        """An answer that came after its call timed out still completes its command, as long as the command was not
        sent again since (with another message id)."""
        command = rows.find_open_by_message_id(self.store, cs_id, reply.message_id)
        if command is not None:
            Delivery(self.store, self.config, cs_id, link).accept_late(command, reply)

    def loop_ended(self, loop: _StationLoop) -> None:
        with self._lock:
            if self._loops.get(loop.cs_id) is loop:
                del self._loops[loop.cs_id]

    def wake(self, cs_id: str) -> None:
        """Look for the station's commands now (if it is ready)."""
        loop = self._loops.get(cs_id)
        if loop is not None:
            loop.wake.set()

    def _watch_new_commands(self) -> None:
        # The writer sets the event after every commit; one cheap indexed read finds who got new commands.
        while self._running:
            self._committed.wait()
            self._committed.clear()
            if not self._loops:
                self._last_command_id = rows.max_command_id(self.store)
                continue
            try:
                self._last_command_id, stations = rows.stations_with_new_commands(self.store, self._last_command_id)
            except Exception:
                log.exception("outbox: wake-up query failed")
                continue
            for cs_id in stations:
                self.wake(cs_id)

    def _sweep(self) -> None:
        while self._running:
            try:
                expired = rows.expire_old(self.store, self.config.command_ttl)
                if expired:
                    log.info("outbox: %d commands expired", expired)
                ended = reservations.expire_due(self.store)  # the API already shows them ended
                if ended:
                    log.info("outbox: %d reservations expired or failed", ended)
            except Exception:
                log.exception("outbox: sweep failed")
            time.sleep(SWEEP_SECONDS)
