"""A malformed upgrade request gets an HTTP answer (400, or 426 for the version) with the JSON error body."""
from __future__ import annotations

import base64
import http.client
import json
import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.gateway.conftest import add_station

KEY = base64.b64encode(os.urandom(16)).decode()


def send_upgrade(
    server: LiveServer, cs_id: str, changes: dict[str, str | None] | None = None, method: str = "GET"
) -> http.client.HTTPResponse:
    """A hand-written upgrade for `cs_id`, valid but for the headers in `changes` (None drops one)."""
    url = urlsplit(f"{server.ws_url}/{cs_id}")
    headers = {
        "Host": url.netloc, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": KEY,
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "ocpp1.6",
    } | basic_auth(cs_id, STATION_PASSWORD) | (changes or {})
    request = f"{method} {url.path} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items() if value is not None
    )
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    sock.sendall(request.encode() + b"\r\n")
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()  # http.client.RemoteDisconnected when the server just closes
        response.body = b"" if response.status == 101 else response.read()
    finally:
        sock.close()
    return response


@pytest.mark.parametrize("changes", [{}, {"Connection": "keep-alive, Upgrade"}], ids=["plain", "connection-list"])
def test_a_well_formed_hand_written_upgrade_is_accepted(gateway_server, cs_id, changes):
    add_station(gateway_server, cs_id)
    assert send_upgrade(gateway_server, cs_id, changes).status == 101


# A missing version is answered like a wrong one: a client without the header speaks a draft from before
# RFC 6455 (hixie-76 had none), and 426 + `Sec-WebSocket-Version: 13` is the answer that tells it what we speak.
@pytest.mark.parametrize("version", ["8", None, "13, 8"], ids=["8", "missing", "list"])
def test_a_version_other_than_13_is_426_naming_13(gateway_server, cs_id, version):
    add_station(gateway_server, cs_id)
    response = send_upgrade(gateway_server, cs_id, {"Sec-WebSocket-Version": version})
    assert response.status == 426
    assert response.headers["Sec-WebSocket-Version"] == "13"
    assert json.loads(response.body)["status"] == "Upgrade Required"


@pytest.mark.parametrize(
    "method, changes",
    [
        ("GET", {"Sec-WebSocket-Key": None}),
        ("GET", {"Sec-WebSocket-Key": "not base64!"}),
        ("GET", {"Sec-WebSocket-Key": base64.b64encode(os.urandom(15)).decode()}),
        ("GET", {"Connection": None}),
        ("GET", {"Connection": "keep-alive"}),
        ("GET", {"Host": None}),
        ("GET", {"Upgrade": None}),
        ("POST", {}),
    ],
    ids=["no-key", "key-not-base64", "key-15-bytes", "no-connection", "connection-without-upgrade", "no-host",
         "no-upgrade", "post"],
)
def test_a_malformed_upgrade_is_400(gateway_server, cs_id, method, changes):
    add_station(gateway_server, cs_id)
    response = send_upgrade(gateway_server, cs_id, changes, method)
    assert response.status == 400
    body = json.loads(response.body)
    assert body["status"] == "Bad Request" and body["error"]
