"""One station's live connection: station CALLs answered one at a time, our CALLs matched to replies by id."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from ocpp.exceptions import InternalError, OCPPError
from ocpp.messages import MessageType

import metrics
from config import Config
from gateway.call_budget import CallBudget
from gateway.registry import Hooks, Registry
from gateway.websocket import WebSocket, WebSocketClosed
from handlers.routing import CallContext, Routes
from pki.local_ca import LocalCA
from protocol import frames
from protocol.errors import trimmed
from protocol.station_log import StationLog
from protocol.validation import validate
from storage import Store, station_runtime, utc_now_iso
from storage.security_events import add_security_event

log = logging.getLogger(__name__)


class ConnectionClosed(Exception):
    """The station's connection is closed; the call was not sent."""


@dataclass(frozen=True)
class CallOutcome:
    """How one CSMS-initiated call ended: a CALLRESULT payload, a CALLERROR, or a timeout/disconnect."""

    message_id: str
    action: str
    payload: dict | None = None  # the CALLRESULT payload, kept as sent even when it fails its schema
    error_code: str | None = None
    error_description: str | None = None
    error_details: dict | None = None
    timed_out: bool = False  # no answer in time, or the connection closed first (then disconnected too)
    disconnected: bool = False
    schema_error: str | None = None  # why the CALLRESULT payload does not fit the schema, when it does not

    @property
    def is_result(self) -> bool:
        return self.payload is not None

    @property
    def is_error(self) -> bool:
        return self.error_code is not None


@dataclass
class _Pending:
    message_id: str
    action: str
    done: Event = field(default_factory=Event)
    outcome: CallOutcome | None = None


class Connection:
    """A station's accepted WebSocket. `run()` reads until it closes; `call()` may be used from any greenlet."""

    def __init__(
        self,
        cs_id: str,
        ocpp_version: str,
        ws: WebSocket,
        remote_address: str | None,
        *,
        store: Store,
        config: Config,
        routes: Routes,
        registry: Registry,
        hooks: Hooks,
        credentials: tuple = (),
        ca: LocalCA | None = None,
    ) -> None:
        self.cs_id = cs_id
        self.ocpp_version = ocpp_version
        self.ws = ws
        self.remote_address = remote_address
        self.credentials = credentials  # the auth columns this connection was accepted with
        self.connected_at = time.time()
        self.is_boot_accepted = False
        self.log = StationLog(log, {"cs_id": cs_id})
        self._store, self._config, self._routes = store, config, routes
        self._registry, self._hooks = registry, hooks
        self._ca = ca
        self._call_lock = Semaphore()
        self._pending: _Pending | None = None
        self._late: _Pending | None = None
        self._closed = False
        self._frame_taps = hooks.frame
        self._budget = CallBudget(config.station_call_rate)

    @property
    def is_current(self) -> bool:
        """True while this is the station's live connection (not replaced, not closed)."""
        return self._registry.get(self.cs_id) is self

    # -- our calls ----------------------------------------------------------------------------
    def call(self, action: str, payload: dict, timeout: float | None = None, message_id: str | None = None) -> CallOutcome:
        """Send a CALL (with `message_id`, else a new one) and block this greenlet until its answer, a timeout or a
        disconnect.

        One call is outstanding per station: concurrent callers wait their turn. Raises an `ocpp` OCPPError when
        the payload does not fit the action's schema for this station's version (nothing is sent), and
        ConnectionClosed when the connection is closed before sending.
        """
        validate(MessageType.Call, action, payload, self.ocpp_version)
        timeout = self._config.call_timeout if timeout is None else timeout
        with self._call_lock:
            if self._closed:
                raise ConnectionClosed(self.cs_id)
            pending = _Pending(message_id or str(uuid.uuid4()), action)
            self._pending, self._late = pending, None
            try:
                text = frames.call(pending.message_id, action, payload)
                self.ws.send(text)
                self._tap("out", frames.CALL, pending.message_id, action, text)
                self.log.info("%s %s: sent", action, pending.message_id)
                if pending.done.wait(timeout) and pending.outcome is not None:
                    return pending.outcome
                self.log.warning("%s %s: no answer within %.1f s", action, pending.message_id, timeout)
                self._late = pending
                return CallOutcome(pending.message_id, action, timed_out=True)
            except WebSocketClosed as error:
                raise ConnectionClosed(self.cs_id) from error
            finally:
                self._pending = None

    def _on_answer(self, frame: frames.Frame, raw: str) -> None:
        pending = next((p for p in (self._pending, self._late) if p and p.message_id == frame.message_id), None)
        if self._frame_taps:
            self._tap("in", frame.message_type_id, frame.message_id, pending.action if pending else None, raw)
        if pending is None:
            self.log.warning("answer %s matches no outstanding call; dropped", frame.message_id)
            return
        outcome = self._outcome(pending, frame)
        if pending is self._pending:
            pending.outcome = outcome
            pending.done.set()
        else:
            self._late = None
            self.log.info("%s %s: late answer", pending.action, pending.message_id)
            self._hooks.fire("late_outcome", self, outcome)

    def _outcome(self, pending: _Pending, frame: frames.Frame) -> CallOutcome:
        if frame.message_type_id == frames.CALLERROR:
            self.log.warning("%s %s: CALLERROR %s", pending.action, frame.message_id, frame.error_code)
            details = frame.error_details if isinstance(frame.error_details, dict) else {}
            return CallOutcome(
                frame.message_id, pending.action, error_code=frame.error_code,
                error_description=frame.error_description, error_details=details,
            )
        schema_error = None
        try:
            validate(MessageType.CallResult, pending.action, frame.payload, self.ocpp_version)
        except OCPPError as error:
            schema_error = trimmed(error.description or error.code)
            self.log.warning("%s %s: CALLRESULT does not fit the schema: %s", pending.action, frame.message_id, schema_error)
        return CallOutcome(frame.message_id, pending.action, payload=frame.payload, schema_error=schema_error)

    # -- the read loop ------------------------------------------------------------------------
    def run(self) -> None:
        """Read and answer frames until the socket closes."""
        try:
            for raw in self.ws.messages():
                self._on_message(raw)
                # A station that answers at once would find its next frame already waiting and keep this
                # greenlet running without ever passing through the hub: let the other stations have a turn.
                gevent.sleep(0)
        finally:
            self._closed = True
            pending = self._pending
            if pending is not None and not pending.done.is_set():
                pending.outcome = CallOutcome(pending.message_id, pending.action, timed_out=True, disconnected=True)
                pending.done.set()

    def _on_message(self, raw: str | bytes) -> None:
        frame = frames.parse(raw, self.ocpp_version)
        if isinstance(frame, frames.BadFrame):
            self.log.warning("bad frame (%s)%s", frame.problem, "" if frame.reply else "; dropped")
            if frame.reply:
                self._send(frame.reply)
            if self._frame_taps:
                self._tap("in", None, None, None, raw if isinstance(raw, str) else repr(raw[:200]), frame.reply)
            return
        if frame.message_type_id == frames.CALL:
            if self._budget.take():
                self._answer_call(frame, raw)  # the handlers refresh last seen
            else:
                self._refuse_over_budget(frame)
        else:
            station_runtime.mark_seen(self._store, self.cs_id)  # writes at most once a second
            self._on_answer(frame, raw)  # type: ignore[arg-type]  # a readable frame was text

    def _refuse_over_budget(self, frame: frames.Frame) -> None:
        """Tell a flooding station so (GenericError, unprocessed); close it when it does not stop (1008)."""
        if self._budget.exhausted:
            self.log.warning("over its CALL budget for %d CALLs in a row; closing", self._budget.refused)
            add_security_event(self._store, self.cs_id, "RateLimitExceeded", utc_now_iso(),
                               f"more than {self._budget.rate:.0f} CALLs a second", source="csms")
            self.close(1008, "too many CALLs")
            return
        if self._budget.refused == 1:
            self.log.warning("%s %s: over its budget of %.0f CALLs a second", frame.action, frame.message_id,
                             self._budget.rate)
        description = f"too many CALLs: at most {self._budget.rate:.0f} a second"
        self._send(frames.error("GenericError", frame.message_id, description))

    def _answer_call(self, frame: frames.Frame, raw: str) -> None:
        assert frame.action is not None
        ctx = CallContext(
            cs_id=self.cs_id, message_id=frame.message_id, action=frame.action, ocpp_version=self.ocpp_version,
            store=self._store, config=self._config, log=self.log, ca=self._ca, extra={"connection": self},
        )
        result: dict | None = None
        started, outcome = time.perf_counter(), "result"
        try:
            result = self._routes.handle_call(ctx, frame.payload)
            reply = frames.result(frame.message_id, result)
        except OCPPError as error:
            outcome = error.code
            self.log.warning("%s %s: CALLERROR %s %s", trimmed(frame.action, 60), frame.message_id, error.code, trimmed(error.description or "", 120))
            reply = frames.error_from(error, frame.message_id, self.ocpp_version)
        except Exception:
            outcome = "InternalError"
            self.log.exception("%s %s: failed", trimmed(frame.action, 60), frame.message_id)
            reply = frames.error_from(InternalError(description="the CSMS failed to handle this message"), frame.message_id, self.ocpp_version)
        self._send(reply)
        if self._frame_taps:
            self._tap("in", frames.CALL, frame.message_id, frame.action, raw, reply)
        metrics.observe_station_call(self.ocpp_version, frame.action, self._routes, outcome, time.perf_counter() - started)
        if frame.action == "BootNotification" and result is not None:
            self.is_boot_accepted = result.get("status") == "Accepted"
            if self.is_boot_accepted:
                self._hooks.fire("boot_accepted", self)
            elif result.get("status") == "Pending":
                self._hooks.fire("boot_pending", self)

    def _tap(
        self, direction: str, message_type: int | None, message_id: str | None, action: str | None, text: str,
        reply: str | None = None,
    ) -> None:
        """Show a frame to the `frame` hooks (the dashboard's frame log and live feed); they never fail the station."""
        for tap in self._frame_taps:
            try:
                tap(self.cs_id, direction, message_type, message_id, action, text, reply)
            except Exception:
                self.log.exception("frame hook %r failed", tap)

    def _send(self, text: str) -> None:
        try:
            self.ws.send(text)
        except WebSocketClosed:
            self.log.debug("connection closed before the answer went out")

    # -- keeping it alive ---------------------------------------------------------------------
    def close(self, code: int, reason: str) -> None:
        """Close with a WebSocket close code; the read loop ends when the station answers or soon after."""
        self.log.info("closing: %d %s", code, reason)
        self.ws.close(code, reason)

    def idle_seconds(self) -> float:
        return time.monotonic() - self.ws.last_received

    def ping(self) -> None:
        self.ws.ping()

