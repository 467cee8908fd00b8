"""Drains the durable queue of requests to partners: one greenlet per party with work, its requests in order, each
retried with backoff until the partner takes it (a client error ends it). Never on a station's path."""
from __future__ import annotations

import logging
import random
import threading
from typing import Any

from ocpi import client
from ocpi.context import OcpiContext
from ocpi.credentials import HandshakeError, run_handshake
from ocpi.partners import endpoint_url
from storage import ocpi_pushes, parties

log = logging.getLogger(__name__)

TICK_SECONDS = 0.5  # how often due retries are looked for (new work also wakes the sender)


class Sender:
    """Sends what the watcher, the API and the views queued; `wake` after queueing."""

    def __init__(self, context: OcpiContext) -> None:
        self.context = context
        self._wake = threading.Event()
        self._busy: set[int] = set()
        self._running = False

    def start(self) -> None:
        self._running = True
        threading.Thread(target=self._dispatch, name="ocpi-sender", daemon=True).start()

    def stop(self) -> None:
        self._running = False
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def _dispatch(self) -> None:
        while self._running:
            self._wake.wait(TICK_SECONDS)
            self._wake.clear()
            try:
                due = ocpi_pushes.parties_with_due_pushes(self.context.store)
            except Exception:
                log.exception("OCPI sender: looking for work failed")
                continue
            for party_id in due:
                if party_id not in self._busy:
                    self._busy.add(party_id)
                    threading.Thread(target=self._drain, args=(party_id,), name=f"ocpi-party-{party_id}", daemon=True).start()

    def _drain(self, party_id: int) -> None:
        try:
            while self._running:
                push = ocpi_pushes.next_push(self.context.store, party_id)
                if push is None or not ocpi_pushes.is_due(push):
                    return
                self._send(push)
        except Exception:
            log.exception("OCPI sender: party %s failed", party_id)
        finally:
            self._busy.discard(party_id)

    def _send(self, push: dict[str, Any]) -> None:
        store = self.context.store
        party = parties.get_party(store, push["party_id"])
        if party is None:  # unregistered meanwhile: its queue is gone with it
            ocpi_pushes.mark_failed(store, push["id"], "the party is gone")
            return
        outcome = self._handshake(party) if push["module"] == "handshake" else self._request(party, push)
        if outcome.ok:
            ocpi_pushes.mark_sent(store, push["id"])
        elif outcome.retriable:
            attempts = push["attempts"] + 1
            delay = min(self.context.config.ocpi_retry_delay * 2 ** (attempts - 1), self.context.config.ocpi_retry_max)
            ocpi_pushes.retry_later(store, push["id"], attempts, delay * random.uniform(0.8, 1.2), outcome.error)
            log.warning("OCPI party %s: %s %s failed (%s), retry %d", party["id"], push["method"], push["module"], outcome.error, attempts)
        else:
            ocpi_pushes.mark_failed(store, push["id"], outcome.error)
            log.warning("OCPI party %s: %s %s refused: %s", party["id"], push["method"], push["module"], outcome.error)

    def _handshake(self, party: dict[str, Any]) -> client.Outcome:
        try:
            run_handshake(self.context, party)
        except HandshakeError as error:
            parties.record_error(self.context.store, party["id"], str(error))
            return client.Outcome(False, error=str(error), retriable=True)
        return client.Outcome(True)

    def _request(self, party: dict[str, Any], push: dict[str, Any]) -> client.Outcome:
        if push["module"] == "url":
            url, headers = push["path"], {}
        else:
            base = endpoint_url(party, push["module"], "RECEIVER")
            if base is None:
                return client.Outcome(False, error=f"the party has no {push['module']} receiver")
            url, headers = base.rstrip("/") + push["path"], self.context.routing_headers(party)
        token = party["their_token"] or party["token"]
        return client.call(
            push["method"], url, token, party["version"], push["body"], headers, self.context.config.ocpi_timeout
        )
