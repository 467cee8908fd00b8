"""Handshake checks before the upgrade: station id rules, unknown stations, Basic auth, transport, subprotocols."""
from __future__ import annotations

import base64

import pytest
from websockets.exceptions import ConnectionClosedError

from tests.conftest import STATION_PASSWORD, basic_auth
from tests.gateway.conftest import add_station, handshake_status, security_events, station_row, wait_for, ws_connect


@pytest.mark.parametrize("path", ["x" * 49, "a:b", "", "a/b"])
def test_bad_station_id_is_404(gateway_server, path):
    response = handshake_status(f"{gateway_server.ws_url}/{path}", basic_auth(path, STATION_PASSWORD))
    assert response.status_code == 404


def test_percent_decoded_id_up_to_48_characters_is_accepted(gateway_server):
    cs_id = "é" * 40 + " 1234567"  # 48 characters once decoded
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as ws:
        assert ws.subprotocol == "ocpp1.6"


def test_unknown_station_is_404(gateway_server, cs_id):
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth(cs_id, STATION_PASSWORD))
    assert response.status_code == 404
    assert b'"Not Found"' in response.body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
    ],
    ids=["missing", "not-basic", "not-base64", "no-colon"],
)
def test_missing_or_malformed_credentials_are_401(gateway_server, cs_id, headers):
    add_station(gateway_server, cs_id)
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="OCPP"'


def test_wrong_password_is_401_and_a_security_event_without_the_password(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth(cs_id, "not-the-password"))
    assert response.status_code == 401
    events = wait_for(lambda: security_events(gateway_server, cs_id))
    assert events[0]["type"] == "FailedToAuthenticateAtCsms" and events[0]["source"] == "csms"
    assert "not-the-password" not in gateway_server.log()
    assert "not-the-password" not in repr(events)


def test_username_must_be_the_station_id(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth("someone-else", STATION_PASSWORD))
    assert response.status_code == 401


def test_any_username_when_invalid_username_allowed(gateway_server, cs_id):
    add_station(gateway_server, cs_id, invalid_username_allowed=True)
    assert handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth("someone-else", STATION_PASSWORD)) is None


def test_binary_password_bytes_are_hashed_raw(gateway_server, cs_id):
    import hashlib
    import sqlite3

    password = bytes(range(256))[::7]
    add_station(gateway_server, cs_id)
    with sqlite3.connect(gateway_server.db_path) as db:
        stored = base64.b64encode(hashlib.sha256(password).digest()).decode()
        db.execute("UPDATE stations SET password_hash = ? WHERE id = ?", [stored, cs_id])
    header = {"Authorization": "Basic " + base64.b64encode(cs_id.encode() + b":" + password).decode()}
    assert handshake_status(f"{gateway_server.ws_url}/{cs_id}", header) is None


def test_station_without_password_never_passes_basic_auth(gateway_server, cs_id):
    add_station(gateway_server, cs_id, password=None)
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth(cs_id, ""))
    assert response.status_code == 401


@pytest.mark.parametrize("profile", [1, 2])
def test_tls_profiles_on_plain_ws_are_401(gateway_server, cs_id, profile):
    add_station(gateway_server, cs_id, security_profile=profile)
    response = handshake_status(f"{gateway_server.ws_url}/{cs_id}", basic_auth(cs_id, STATION_PASSWORD))
    assert response.status_code == 401


def test_connection_state_is_stored(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id, ["ocpp2.0.1"]):
        row = wait_for(lambda: (r := station_row(gateway_server, cs_id)) and r["connected"] and r)
        assert (row["ocpp_version"], row["remote_address"]) == ("2.0.1", "127.0.0.1")
        assert row["last_seen"]
    wait_for(lambda: station_row(gateway_server, cs_id)["connected"] == 0)


@pytest.mark.parametrize(
    "offered, chosen",
    [
        (["ocpp1.6"], "ocpp1.6"),
        (["ocpp2.0.1"], "ocpp2.0.1"),
        (["ocpp1.6", "ocpp2.0.1"], "ocpp2.0.1"),
        (["ocpp2.0.1", "ocpp1.6"], "ocpp2.0.1"),
        (["ocpp1.5", "ocpp1.6"], "ocpp1.6"),
    ],
)
def test_newest_shared_subprotocol_is_chosen(gateway_server, cs_id, offered, chosen):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id, offered) as ws:
        assert ws.subprotocol == chosen


@pytest.mark.parametrize("offered", [[], ["ocpp1.5"], ["mqtt"]], ids=["none", "ocpp1.5", "mqtt"])
def test_no_shared_subprotocol_upgrades_without_one_then_closes_1002(gateway_server, cs_id, offered):
    from websockets.sync.client import connect

    add_station(gateway_server, cs_id)
    url = f"{gateway_server.ws_url}/{cs_id}"
    # `websockets` would refuse a 101 without a subprotocol it offered, so offer none at the client level
    # and send the header ourselves.
    headers = basic_auth(cs_id, STATION_PASSWORD) | ({"Sec-WebSocket-Protocol": ", ".join(offered)} if offered else {})
    with connect(url, additional_headers=headers, open_timeout=10) as ws:
        assert ws.response.headers.get("Sec-WebSocket-Protocol") is None
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 1002


def test_compression_is_negotiated_with_a_bounded_window(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as ws:
        extensions = ws.response.headers["Sec-WebSocket-Extensions"]
        assert "permessage-deflate" in extensions and "server_max_window_bits=10" in extensions
        ws.send('[2,"1","Heartbeat",{}]')
        assert '"currentTime"' in ws.recv(timeout=10)


def test_compression_off_is_not_negotiated(tmp_path):
    from tests.gateway.conftest import start_server

    server = start_server(tmp_path, {"CSMS_WS_COMPRESSION": "off"})
    try:
        add_station(server, "CS-NODEFLATE")
        with ws_connect(server, "CS-NODEFLATE") as ws:
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
    finally:
        server.stop()
