"""One connection per station, boot facts stored, pings and idle close, revoked stations disconnected."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import sqlite3
import time

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from tests.conftest import STATION_PASSWORD, basic_auth, password_hash, station_client
from tests.gateway.conftest import add_station, handshake_status, security_events, station_row, wait_for, ws_connect


@pytest.mark.parametrize("subprotocol", ["ocpp1.6", "ocpp2.0.1"])
def test_boot_notification_is_stored_in_the_stations_row(gateway_server, cs_id, subprotocol):
    async def boot() -> str:
        async with station_client(gateway_server.ws_url, cs_id, subprotocol) as station:
            if subprotocol == "ocpp1.6":
                request = call16.BootNotification(charge_point_model="M1", charge_point_vendor="ACME", firmware_version="1.2")
            else:
                request = call201.BootNotification(
                    charging_station={"model": "M1", "vendor_name": "ACME", "firmware_version": "1.2"}, reason="PowerUp"
                )
            return (await station.call(request, suppress=False)).status

    add_station(gateway_server, cs_id)
    assert asyncio.run(boot()) == "Accepted"
    row = station_row(gateway_server, cs_id)
    assert (row["vendor"], row["model"], row["firmware_version"], row["boot_status"]) == ("ACME", "M1", "1.2", "Accepted")
    assert row["ocpp_version"] == subprotocol.removeprefix("ocpp")


def test_new_connection_replaces_the_old_one(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as old:
        with ws_connect(gateway_server, cs_id) as new:
            with pytest.raises(ConnectionClosed) as closed:
                old.recv(timeout=10)
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4000, "replaced by a newer connection")
            new.send('[2,"1","Heartbeat",{}]')
            assert json.loads(new.recv(timeout=10))[:2] == [3, "1"]
            assert station_row(gateway_server, cs_id)["connected"] == 1
            events = wait_for(lambda: [e for e in security_events(gateway_server, cs_id) if e["type"] == "ConnectionReplaced"])
            assert events


def test_failed_attempt_leaves_the_live_connection_alone(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as live:
        response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth(cs_id, "wrong"))
        assert response.status_code == 401
        live.send('[2,"1","Heartbeat",{}]')
        assert json.loads(live.recv(timeout=10))[:2] == [3, "1"]
        assert station_row(gateway_server, cs_id)["connected"] == 1


def test_answering_pings_keeps_an_idle_connection_open(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as ws:
        time.sleep(4.5)  # ping interval 1 s: idle close would come after 3 s without a pong
        ws.send('[2,"1","Heartbeat",{}]')
        assert json.loads(ws.recv(timeout=10))[:2] == [3, "1"]


def raw_handshake(server, cs_id: str) -> socket.socket:
    """A WebSocket that never answers anything: plain TCP after a hand-written upgrade."""
    host, port = server.ws_url.split("//")[1].split("/")[0].split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    auth = basic_auth(cs_id, STATION_PASSWORD)["Authorization"]
    sock.sendall(
        (
            f"GET /ws/{cs_id} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n"
            f"Authorization: {auth}\r\n\r\n"
        ).encode()
    )
    return sock


def test_silent_station_is_pinged_then_closed(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    sock = raw_handshake(gateway_server, cs_id)
    received = b""
    started = time.monotonic()
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    elapsed = time.monotonic() - started
    assert received.startswith(b"HTTP/1.1 101")
    frames = received.split(b"\r\n\r\n", 1)[1]
    assert b"\x89\x00" in frames  # at least one ping
    close_at = frames.index(b"\x88")
    assert int.from_bytes(frames[close_at + 2 : close_at + 4], "big") == 4003
    assert 2.5 < elapsed < 10
    wait_for(lambda: station_row(gateway_server, cs_id)["connected"] == 0)


def update_station(server, cs_id: str, sql: str, params: list) -> None:
    with sqlite3.connect(server.db_path, timeout=30) as db:
        db.execute(sql, params + [cs_id])


@pytest.mark.parametrize(
    "sql, params, code",
    [
        ("DELETE FROM stations WHERE id = ?", [], 4001),
        ("UPDATE stations SET password_hash = ? WHERE id = ?", [password_hash("new-password")], 4002),
        ("UPDATE stations SET security_profile = ? WHERE id = ?", [1], 4002),
    ],
    ids=["deleted", "password-changed", "profile-changed"],
)
def test_deleted_or_changed_station_is_disconnected(gateway_server, cs_id, sql, params, code):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as ws:
        wait_for(lambda: station_row(gateway_server, cs_id)["connected"] == 1)
        update_station(gateway_server, cs_id, sql, params)
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=15)
        assert closed.value.rcvd.code == code
