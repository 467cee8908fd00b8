"""The ws and wss listeners: gevent WSGI servers whose handler upgrades admitted requests itself."""
from __future__ import annotations

import logging
import socket

import gevent
from gevent.pywsgi import WSGIHandler, WSGIServer

from gateway import tls
from gateway.handshake import Refusal
from gateway.service import Gateway

log = logging.getLogger(__name__)


class GatewayHandler(WSGIHandler):
    """Runs the handshake checks before any 101; refusals are plain HTTP answers, admissions become Connections."""

    server: GatewayServer

    def handle(self) -> None:
        # One deadline for the TLS handshake and the HTTP request together (a slowloris sends headers slowly).
        self._deadline = gevent.Timeout(self.server.gateway.config.handshake_timeout)
        self._deadline.start()
        try:
            # Small request/answer frames: never let Nagle hold an answer back waiting for an ACK.
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls.is_tls(self.socket):
                try:
                    self.socket.do_handshake()
                except OSError as error:  # ssl.SSLError too: untrusted or expired client certificate, not TLS
                    log.info("TLS handshake from %s failed: %s", self._peer(), error)
                    return
            super().handle()
        except gevent.Timeout as timeout:
            if timeout is not self._deadline:
                raise
            log.info("handshake from %s timed out", self._peer())
        finally:
            self._deadline.close()

    def _peer(self) -> str:
        return self.client_address[0] if isinstance(self.client_address, tuple) else str(self.client_address)

    def handle_one_response(self) -> None:
        gateway = self.server.gateway
        try:
            decision = gateway.admit(self.environ, self.socket, self._peer())
        except Exception:
            log.exception("handshake check from %s failed", self._peer())
            decision = Refusal(500, "the CSMS failed to check this handshake")
        if isinstance(decision, Refusal):
            self.application = decision
            self.close_connection = True
            super().handle_one_response()
            return
        self._deadline.close()
        self.close_connection = True
        self.status = "101 Switching Protocols"
        self.log_request = lambda: None  # one line per connection is logged by the gateway instead
        try:
            gateway.serve(self.socket, self.rfile, self.environ, decision)
        except Exception:
            log.exception("[%s] connection failed", decision.cs_id)


class GatewayServer(WSGIServer):
    """A WSGIServer that carries the shared Gateway."""

    handler_class = GatewayHandler

    def __init__(self, address: tuple[str, int], gateway: Gateway, **ssl_args: object) -> None:
        super().__init__(address, application=_no_application, log=None, error_log=log, **ssl_args)
        self.gateway = gateway


def _no_application(environ: dict, start_response) -> list[bytes]:  # pragma: no cover - the handler never calls it
    start_response("500 Internal Server Error", [])
    return []


def build_servers(gateway: Gateway) -> list[tuple[str, str, GatewayServer]]:
    """(name, scheme, server) for ws and wss (with CSMS_TLS_CERT, or a certificate from the local CA)."""
    config = gateway.config
    servers = [("ws", "ws", GatewayServer((config.ws_host, config.ws_port), gateway))]
    context = tls.server_context(config, gateway.ca)
    wss = GatewayServer((config.ws_host, config.wss_port), gateway, ssl_context=context, do_handshake_on_connect=False)
    servers.append(("wss", "wss", wss))
    return servers
