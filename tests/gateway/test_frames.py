"""OCPP-J frames per version: bad frames answered (or dropped) with the exact codes, schema errors, size limit."""
from __future__ import annotations

import contextlib
import json

import pytest
from websockets.exceptions import ConnectionClosedError

from tests.gateway.conftest import add_station, ws_connect

HEARTBEAT = '[2,"hb","Heartbeat",{}]'
SUBPROTOCOL = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1"}


@pytest.fixture
def station(gateway_server, cs_id):
    """Open a raw connection of the given OCPP version for this test's station."""
    add_station(gateway_server, cs_id)
    with contextlib.ExitStack() as stack:
        yield lambda version: stack.enter_context(ws_connect(gateway_server, cs_id, [SUBPROTOCOL[version]], max_size=None))


def exchange(ws, frame: str | bytes) -> list:
    """Send `frame`, then a Heartbeat; return the first answer (the Heartbeat's when the frame was dropped)."""
    ws.send(frame)
    ws.send(HEARTBEAT)
    return json.loads(ws.recv(timeout=10))


@pytest.mark.parametrize(
    "frame",
    ["not json", "{}", "[]", '"text"', '[2, 5, "Heartbeat", {}]', b"\x00binary", '[7, "u1", "x"]', "[2]"],
    ids=["not-json", "object", "empty", "string", "numeric-id", "binary", "unknown-type", "no-id"],
)
def test_v16_unreadable_frames_are_dropped_and_the_connection_stays_usable(station, frame):
    ws = station("1.6")
    answer = exchange(ws, frame)
    assert answer[:2] == [3, "hb"] and "currentTime" in answer[2]


@pytest.mark.parametrize(
    "frame, message_id, code",
    [
        ("not json", "-1", "RpcFrameworkError"),
        ("{}", "-1", "RpcFrameworkError"),
        ('[2, 5, "Heartbeat", {}]', "-1", "RpcFrameworkError"),
        (b"\x00binary", "-1", "RpcFrameworkError"),
        ('[7, "u1", "x"]', "u1", "MessageTypeNotSupported"),
        ('[2, "u2", "Heartbeat"]', "u2", "RpcFrameworkError"),
        ('[2, "u3", 5, {}]', "u3", "RpcFrameworkError"),
        ('[2, "u4", "Heartbeat", []]', "u4", "RpcFrameworkError"),
    ],
)
def test_v201_bad_frames_get_rpc_errors(station, frame, message_id, code):
    ws = station("2.0.1")
    answer = exchange(ws, frame)
    assert answer[0] == 4 and answer[1:3] == [message_id, code]
    assert answer[4] == {}
    assert json.loads(ws.recv(timeout=10))[:2] == [3, "hb"]


@pytest.mark.parametrize("frame", ['[2, "u2", "Heartbeat"]', '[2, "u3", 5, {}]', '[3, "u5"]'])
def test_v16_malformed_frames_with_an_id_are_formation_violations(station, frame):
    ws = station("1.6")
    answer = exchange(ws, frame)
    assert answer[0] == 4 and answer[2] == "FormationViolation"
    assert json.loads(ws.recv(timeout=10))[:2] == [3, "hb"]


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_unknown_action_is_not_implemented(station, version):
    ws = station(version)
    answer = exchange(ws, '[2, "x1", "NoSuchAction", {}]')
    assert answer[:3] == [4, "x1", "NotImplemented"] and answer[4] == {}


BOOT = {
    "1.6": {"chargePointVendor": "ACME", "chargePointModel": "M1"},
    "2.0.1": {"reason": "PowerUp", "chargingStation": {"vendorName": "ACME", "model": "M1"}},
}


@pytest.mark.parametrize(
    "version, change, code",
    [
        ("1.6", {"extra": 1}, "FormationViolation"),
        ("2.0.1", {"extra": 1}, "FormatViolation"),
        ("1.6", {"chargePointVendor": None}, "ProtocolError"),
        ("2.0.1", {"reason": None}, "OccurrenceConstraintViolation"),
        ("1.6", {"chargePointModel": 5}, "TypeConstraintViolation"),
        ("2.0.1", {"reason": "PowerUp", "chargingStation": {"vendorName": "A" * 51, "model": "M"}}, "TypeConstraintViolation"),
        ("2.0.1", {"reason": "NoSuchReason"}, "PropertyConstraintViolation"),
    ],
    ids=["v16-extra", "v201-extra", "v16-missing", "v201-missing", "v16-type", "v201-too-long", "v201-enum"],
)
def test_schema_violations_get_the_versions_code(station, version, change, code):
    payload = {key: value for key, value in (BOOT[version] | change).items() if value is not None}
    ws = station(version)
    ws.send(json.dumps([2, "b1", "BootNotification", payload]))
    answer = json.loads(ws.recv(timeout=10))
    assert answer[:3] == [4, "b1", code]
    assert isinstance(answer[4], dict) and len(answer[4].get("cause", "")) <= 200


def test_oversize_frame_closes_with_1009(station):
    ws = station("1.6")
    ws.send(json.dumps([2, "big", "DataTransfer", {"vendorId": "x", "data": "y" * (1024 * 1024)}]))
    with pytest.raises(ConnectionClosedError) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd.code == 1009


def test_frame_just_under_the_limit_is_answered(station):
    ws = station("1.6")
    filler = "y" * (1024 * 1024 - 100)
    ws.send(json.dumps([2, "ok", "DataTransfer", {"vendorId": "x", "data": filler}]))
    assert json.loads(ws.recv(timeout=10))[:2] == [3, "ok"]


@pytest.mark.parametrize(
    "version, frame, code",
    [
        ("1.6", '[2, "s1", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Sleeping"}]',
         "PropertyConstraintViolation"),
        ("1.6", '[2, "m1", "MeterValues", {"connectorId": 1, "meterValue": []}]', "OccurenceConstraintViolation"),
        ("2.0.1", '[2, "m1", "MeterValues", {"evseId": 1, "meterValue": []}]', "OccurrenceConstraintViolation"),
        ("1.6", '[2, "r1", "RemoteStartTransaction", {"idTag": "T"}]', "NotSupported"),
        ("2.0.1", '[2, "r1", "RequestStartTransaction", {"idToken": {"idToken": "T", "type": "Central"}, "remoteStartId": 1}]',
         "NotSupported"),
        ("1.6", '[2, "b1", "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0,'
                ' "timestamp": "2026-01-01T00:00:00Z", "reservationId": 1180591620717411303424}]', "TypeConstraintViolation"),
        ("2.0.1", '[2, "b1", "Heartbeat", {"customData": {"vendorId": "x", "n": -1180591620717411303424}}]', None),
    ],
    ids=["v16-enum", "v16-min-items", "v201-min-items", "v16-csms-action", "v201-csms-action", "v16-huge-integer",
         "v201-huge-number-where-any-number-goes"],
)
def test_each_violation_gets_the_code_the_spec_defines(station, version, frame, code):
    ws = station(version)
    ws.send(frame)
    answer = json.loads(ws.recv(timeout=10))
    assert answer[:3] == [4, json.loads(frame)[1], code] if code else answer[0] == 3


@pytest.mark.parametrize(("version", "code"), [("1.6", "FormationViolation"), ("2.0.1", "RpcFrameworkError")])
def test_message_ids_over_36_characters_are_refused(station, version, code):
    ws = station(version)
    ws.send(json.dumps([2, "i" * 36, "Heartbeat", {}]))
    assert json.loads(ws.recv(timeout=10))[:2] == [3, "i" * 36]
    ws.send(json.dumps([2, "i" * 37, "Heartbeat", {}]))
    assert json.loads(ws.recv(timeout=10))[:3] == [4, "i" * 37, code]


def test_station_text_cannot_forge_a_log_line(gateway_server, station, cs_id):
    forged = "other-station] handshake from 6.6.6.6 refused: 401 wrong Basic credentials"
    ws = station("2.0.1")
    ws.send(json.dumps([2, "x\n[" + forged, "NoSuchAction\r\n[" + forged, {}]))
    assert json.loads(ws.recv(timeout=10))[2] == "RpcFrameworkError"  # the id is over 36 characters
    ws.send(json.dumps([2, "y\n[a", "NoSuch\nAction\u2028[" + forged, {}]))
    assert json.loads(ws.recv(timeout=10))[2] == "NotImplemented"
    ws.send(HEARTBEAT)
    ws.recv(timeout=10)
    lines = gateway_server.log().splitlines()
    assert not [line for line in lines if line.startswith("[" + forged) or forged in line and cs_id not in line]
    assert any(cs_id in line and "y\\x0a[a" in line and "NoSuch\\x0aAction\\u2028" in line for line in lines)
