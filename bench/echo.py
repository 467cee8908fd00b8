"""The bare WebSocket echo server on the gateway's stack (gevent pywsgi + simple-websocket), for the ratio row."""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402
import sys  # noqa: E402

import simple_websocket  # noqa: E402
from gevent.pywsgi import WSGIHandler, WSGIServer  # noqa: E402


class NoDelayHandler(WSGIHandler):
    """TCP_NODELAY as the gateway sets it, so both servers answer without Nagle's delay."""

    def handle(self) -> None:
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle()


def echo(environ: dict, start_response) -> list[bytes]:
    ws = simple_websocket.Server(environ, subprotocols=["ocpp1.6", "ocpp2.0.1"])
    try:
        while True:
            ws.send(ws.receive())
    except simple_websocket.ConnectionClosed:
        pass
    start_response("200 OK", [])
    return []


def main() -> None:
    server = WSGIServer(("127.0.0.1", 0), echo, log=None, error_log=None, handler_class=NoDelayHandler)
    server.start()
    print(f"listening echo ws://127.0.0.1:{server.address[1]}/echo", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
