"""The gateway's own `WebSocket`, accepted in this process over a socketpair, with a wsproto client as its station."""
from __future__ import annotations

import socket
from typing import Any

from gevent import socket as gsocket
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from gateway.websocket import WebSocket

SUBPROTOCOL = "ocpp1.6"
DEFLATE_WINDOW_BITS = 10  # the server's default


def handshake_request(deflate: bool) -> tuple[WSConnection, bytes]:
    """A station's wsproto client and the upgrade request it sends (offering permessage-deflate when told)."""
    client = WSConnection(ConnectionType.CLIENT)
    extensions = [PerMessageDeflate()] if deflate else []
    request = client.send(Request(host="csms", target="/cs", subprotocols=[SUBPROTOCOL], extensions=extensions))
    return client, request


def request_headers(request: bytes) -> dict[str, str]:
    """The request's headers as `WebSocket.accept` takes them (what the WSGI environ gives back)."""
    lines = request.decode("latin-1").split("\r\n")[1:]
    return dict(line.split(": ", 1) for line in lines if line)


def accept(ws: WebSocket, request: bytes, deflate: bool) -> None:
    ws.accept(request_headers(request), SUBPROTOCOL, DEFLATE_WINDOW_BITS if deflate else None)


class Station:
    """The peer end of the socketpair: a wsproto client that reads at the pace the test chooses."""

    def __init__(self, sock: Any, client: WSConnection) -> None:
        self.sock = sock
        self.client = client
        self.messages: list[str] = []
        self.close: CloseConnection | None = None
        self.accepted = False
        self._parts: list[str] = []

    def read(self, size: int) -> bool:
        """Read at most `size` bytes and decode them; False once the server closed the socket."""
        data = self.sock.recv(size)
        self.client.receive_data(data or None)
        for event in self.client.events():
            if isinstance(event, AcceptConnection):
                self.accepted = True
            elif isinstance(event, TextMessage):
                self._parts.append(event.data)
                if event.message_finished:
                    self.messages.append("".join(self._parts))
                    self._parts = []
            elif isinstance(event, CloseConnection) and self.close is None:
                self.close = event
        return bool(data)


def gevent_pair(deflate: bool, max_message_bytes: int = 1 << 20, buffer_bytes: int = 4096) -> tuple[WebSocket, Station]:
    """An accepted server `WebSocket` on cooperative sockets with small buffers, so that sends block on a slow station."""
    server_sock, station_sock = gsocket.socketpair()
    server_sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer_bytes)
    station_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer_bytes)
    client, request = handshake_request(deflate)
    ws = WebSocket(server_sock, server_sock.makefile("rb"), max_message_bytes)
    accept(ws, request, deflate)
    station = Station(station_sock, client)
    while not station.accepted:
        assert station.read(65536), "the server closed during the handshake"
    assert bool(ws.extensions) == deflate
    return ws, station
