"""The gateway: admits upgrades, runs each station's Connection, pings idle ones, closes revoked ones."""
from __future__ import annotations

import logging
import time
from typing import Any

import gevent
from gevent.event import Event

import handlers
from config import Config
from gateway.connection import Connection
from gateway.handshake import Admission, Handshake, Refusal
from gateway.registry import Hooks, Registry
from gateway.throttle import Throttle
from gateway.websocket import WebSocket, WebSocketClosed
from pki.local_ca import LocalCA
from protocol.station_log import StationLog
from storage import Store, station_runtime, utc_now_iso
from storage.security_events import add_security_event

log = logging.getLogger(__name__)

# Close codes we use besides the RFC 6455 ones (1002 no shared subprotocol, 1009 too big, 1001 shutdown).
CLOSE_REPLACED = (4000, "replaced by a newer connection")
CLOSE_REMOVED = (4001, "station removed")
CLOSE_CREDENTIALS_CHANGED = (4002, "station credentials changed")
CLOSE_IDLE = (4003, "no frame or pong for 3 ping intervals")
WATCH_EVERY = 1.0  # at most one look at the credential-change log per second after a commit of ours
WATCH_ANYWAY = 5.0  # and every few seconds regardless, for writes by another process (sqlite3 shell, tests)


class Gateway:
    """State shared by the ws and wss listeners of this process."""

    def __init__(self, config: Config, store: Store, registry: Registry, hooks: Hooks, ca: LocalCA) -> None:
        self.config = config
        self.ca = ca
        self.store = store
        self.registry = registry
        self.hooks = hooks
        self.handshake = Handshake(config, store, Throttle(config.auth_failure_limit, config.auth_failure_window))
        self.sockets = 0  # upgraded sockets, including ones about to close
        self._changed = Event()
        self._loops: list[gevent.Greenlet] = []
        self._last_auth_change = 0

    def start(self) -> None:
        self._last_auth_change = station_runtime.last_auth_change(self.store)
        self.store.on_commit(self._changed.set)
        self._loops = [gevent.spawn(self._keep_alive_loop), gevent.spawn(self._watch_loop)]

    def stop(self) -> None:
        gevent.killall(self._loops)
        for connection in self.registry:
            connection.close(1001, "server shutting down")

    def admit(self, environ: dict, sock: Any, peer_address: str) -> Admission | Refusal:
        return self.handshake.admit(environ, sock, peer_address, self.sockets)

    def serve(self, sock: Any, rfile: Any, environ: dict, admission: Admission) -> None:
        """Upgrade and run the connection until it ends (blocks the handler greenlet)."""
        ws = WebSocket(sock, rfile, self.config.max_message_bytes)
        station_log = StationLog(log, {"cs_id": admission.cs_id})
        self.sockets += 1
        try:
            deflate = self.config.deflate_window_bits if self.config.ws_compression else None
            try:
                ws.accept(request_headers(environ), admission.subprotocol, deflate)
            except WebSocketClosed as error:
                station_log.warning("upgrade failed: %s", error)
                return
            if admission.ocpp_version is None:
                station_log.warning("no shared subprotocol (offered %r); closing", environ.get("HTTP_SEC_WEBSOCKET_PROTOCOL"))
                ws.close(1002, "no shared OCPP subprotocol")
                for _ in ws.messages():
                    pass
                return
            self._run(ws, admission, station_log)
        finally:
            self.sockets -= 1

    def _run(self, ws: WebSocket, admission: Admission, station_log: StationLog) -> None:
        version = admission.ocpp_version
        assert version is not None
        connection = Connection(
            admission.cs_id, version, ws, admission.address, store=self.store, config=self.config,
            routes=handlers.ROUTES[version], registry=self.registry, hooks=self.hooks, credentials=admission.credentials,
            ca=self.ca,
        )
        old = self.registry.add(connection)
        if old is not None:
            old.close(*CLOSE_REPLACED)
            station_log.warning("connection from %s replaces the one from %s", admission.address, old.remote_address)
            add_security_event(
                self.store, admission.cs_id, "ConnectionReplaced", utc_now_iso(),
                f"new connection from {admission.address} replaced one from {old.remote_address}", source="csms",
            )
        current = station_runtime.get_credentials(self.store, [admission.cs_id]).get(admission.cs_id)
        if current is None or tuple(current) != tuple(admission.credentials):
            # Deleted or re-registered between the handshake check and now: the watch would not see it again.
            connection.close(*(CLOSE_REMOVED if current is None else CLOSE_CREDENTIALS_CHANGED))
        station_runtime.mark_connected(self.store, admission.cs_id, version, admission.address)
        station_log.info("connected from %s with %s (%s)", admission.address, admission.subprotocol, ", ".join(ws.extensions) or "no extensions")
        self.hooks.fire("connected", connection)
        try:
            connection.run()
        finally:
            if self.registry.discard(connection):
                station_runtime.mark_disconnected(self.store, admission.cs_id)
            station_log.info("disconnected (close code %s)", ws.close_code)
            self.hooks.fire("disconnected", connection)

    def _keep_alive_loop(self) -> None:
        interval = self.config.ping_interval
        while True:
            gevent.sleep(max(0.2, min(interval / 3, 5.0)))
            now = time.monotonic()
            for connection in self.registry:
                if connection.idle_seconds() > 3 * interval:
                    connection.close(*CLOSE_IDLE)
                elif now - connection.ws.last_ping >= interval:
                    connection.ping()

    def _watch_loop(self) -> None:
        while True:
            self._changed.wait(WATCH_ANYWAY)
            self._changed.clear()
            try:
                self._close_revoked()
            except Exception:  # a locked or busy database must not end the watch
                log.exception("checking station credentials failed")
            gevent.sleep(WATCH_EVERY)

    def _close_revoked(self) -> None:
        """Close connections whose station was deleted or whose profile or password changed (re-register)."""
        self._last_auth_change, changed = station_runtime.auth_changes_since(self.store, self._last_auth_change)
        connections = [connection for cs_id in changed if (connection := self.registry.get(cs_id)) is not None]
        if not connections:
            return
        current = station_runtime.get_credentials(self.store, [connection.cs_id for connection in connections])
        for connection in connections:
            if connection.cs_id not in current:
                connection.close(*CLOSE_REMOVED)
            elif tuple(current[connection.cs_id]) != tuple(connection.credentials):
                connection.close(*CLOSE_CREDENTIALS_CHANGED)


def request_headers(environ: dict) -> dict[str, str]:
    """The request's headers back from a WSGI environ (HTTP_FOO_BAR → Foo-Bar)."""
    return {key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")}
