"""Handshake deadline and connection cap."""
from __future__ import annotations

import socket
import time
from typing import Iterator

import pytest

from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.gateway.conftest import add_station, handshake_status, start_server, wait_for, ws_connect


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"CSMS_HANDSHAKE_TIMEOUT": "1", "CSMS_MAX_CONNECTIONS": "1"}
    server = start_server(tmp_path_factory.mktemp("limits"), env)
    yield server
    server.stop()


def test_a_silent_client_is_dropped_after_the_handshake_timeout(limited_server):
    host, port = limited_server.ws_url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /ws/x HTTP/1.1\r\n")  # and never the rest
        started = time.monotonic()
        assert sock.recv(1024) == b""
        assert 0.5 < time.monotonic() - started < 5


def test_connections_over_the_cap_get_503(limited_server, cs_id):
    add_station(limited_server, cs_id)
    other = add_station(limited_server, cs_id + "-2")
    with ws_connect(limited_server, cs_id):
        response = handshake_status(f"{limited_server.ws_url}/{other}", basic_auth(other, STATION_PASSWORD))
        assert response.status_code == 503 and "Retry-After" in response.headers
    wait_for(lambda: handshake_status(f"{limited_server.ws_url}/{other}", basic_auth(other, STATION_PASSWORD)) is None)
