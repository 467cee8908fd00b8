"""Run every listener of the CSMS in this one gevent process and print where they listen."""
from __future__ import annotations

import gc
import logging
import signal
import socket
import sys
from dataclasses import dataclass
from typing import Any

import gevent
from gevent.event import Event
from gevent.pywsgi import WSGIHandler, WSGIServer

import web
from app import create_app
from config import Config
from gateway import connections, hooks, outbox_link
from gateway.service import Gateway
from gateway.wsgi import build_servers
from handlers import authorization
from metrics import STATIONS_CONNECTED
from ocpi.service import Ocpi
from outbox.service import Outbox
from pki.local_ca import open_ca
from storage import Store, station_runtime

log = logging.getLogger(__name__)

# Python's default collects the young generation every 700 net container allocations. A thousand stations keep
# ~100k objects alive (connections, messages waiting for their commit), so the default promoted in-flight
# messages and ran full collections every second: 15 % of the server's CPU. Reference counting frees our
# messages; the collector is only for the rare cycle.
GC_THRESHOLDS = (50_000, 20, 100)


@dataclass
class Listener:
    """One port: its name in the banner, URL scheme and path, and the gevent server."""

    name: str
    scheme: str
    path: str
    server: WSGIServer

    def url(self) -> str:
        host, port = self.server.address[:2]
        return f"{self.scheme}://{host}:{port}{self.path}"


class ApiHandler(WSGIHandler):
    """The API's request handler: answers leave at once (without TCP_NODELAY, Nagle held every keep-alive answer
    back for the client's delayed ACK: 44 ms a request)."""

    def handle(self) -> None:
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle()


def build_listeners(config: Config, store: Store, gateway: Gateway, ocpi: Ocpi) -> list[Listener]:
    """The servers of this process, not yet started."""
    api_app = create_app(config, store, gateway.ca)
    api_app.extensions["csms_listeners_ready"] = False
    listeners = [
        Listener(
            "api", "http", "/api/v0",
            WSGIServer((config.api_host, config.api_port), api_app, log=None, handler_class=ApiHandler),
        ),
    ]
    for name, scheme, server in build_servers(gateway):
        listeners.append(Listener(name, scheme, "/ws", server))
    ocpi_server = WSGIServer((config.ocpi_host, config.ocpi_port), ocpi.app, log=None, handler_class=ApiHandler)
    listeners.append(Listener("ocpi", "http", "/ocpi/versions", ocpi_server))
    return listeners


def reachable_host(config: Config, bound_host: str) -> str:
    """The host others reach a listener bound to `bound_host` at."""
    return config.public_host or ("127.0.0.1" if bound_host in ("0.0.0.0", "::", "") else bound_host)


def ocsp_url(config: Config, api: Listener) -> str:
    """Our OCSP responder's address as stations reach it: put in every certificate the local CA issues."""
    return f"http://{reachable_host(config, config.api_host)}:{api.server.address[1]}/ocsp"


def ocpi_base_url(config: Config, ocpi: Listener) -> str:
    """The OCPI base URL we announce when CSMS_PUBLIC_URL is unset: {base}/versions is the partners' entry."""
    return f"http://{reachable_host(config, config.ocpi_host)}:{ocpi.server.address[1]}/ocpi"


def tune_garbage_collector() -> None:
    """Leave what start-up built out of every collection, and collect rarely (see GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(config: Config) -> None:
    """Open the database, start every listener, block until SIGINT or SIGTERM, then stop cleanly."""
    store = Store(config.db_path, config.db_max_mb)
    station_runtime.reset_connections(store)
    gateway = Gateway(config, store, connections, hooks, open_ca(config))
    STATIONS_CONNECTED.set_function(lambda: len(connections))
    outbox = Outbox(store, config)
    outbox_link.attach(outbox, hooks, store)
    outbox.start()
    ocpi = Ocpi(config, store)
    listeners = build_listeners(config, store, gateway, ocpi)
    dashboard = next(listener.server.application for listener in listeners if listener.name == "api")
    web.start_live(dashboard, store, hooks, config)
    tune_garbage_collector()
    gateway.start()
    for listener in listeners:
        listener.server.start()
    gateway.ca.ocsp_url = ocsp_url(config, listeners[0])
    ocpi.start(ocpi_base_url(config, next(listener for listener in listeners if listener.name == "ocpi")))
    authorization.remote_authorizers.append(ocpi.authorizer)
    for listener in listeners:
        app: Any = listener.server.application
        if hasattr(app, "extensions"):
            app.extensions["csms_listeners_ready"] = True
    dashboard.extensions["csms_station_urls"] = {listener.name: listener.url() for listener in listeners}
    print(f"CSMS database {config.db_path}", flush=True)
    for listener in listeners:
        print(f"listening {listener.name} {listener.url()}", flush=True)
    print("ready", flush=True)
    stop = Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(signum, stop.set)
    stop.wait()
    log.info("stopping")
    outbox.stop()
    ocpi.stop()
    gateway.stop()
    web.stop_live(dashboard)  # open event streams end, or the API listener would wait for them
    for listener in listeners:
        listener.server.stop(timeout=5)
    store.close()
    sys.stdout.flush()
