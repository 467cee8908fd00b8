"""A station within 1,000 CALLs a second is never touched; one flooding past its budget is told so (GenericError)
and, when it does not stop, closed with 1008 and a security event; others are served meanwhile."""
from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed

from tests.gateway.conftest import add_station, security_events, start_server, ws_connect

HEARTBEAT = '[2,"{n}","Heartbeat",{{}}]'


def pipelined(ws, count: int) -> list[list]:
    """Send `count` Heartbeats without waiting, then read every answer (until the connection closes)."""
    for n in range(count):
        ws.send(HEARTBEAT.format(n=n))
    answers = []
    try:
        while len(answers) < count:
            answers.append(json.loads(ws.recv(timeout=20)))
    except ConnectionClosed:
        pass
    return answers


def test_a_burst_of_1000_calls_is_answered_in_full(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    with ws_connect(gateway_server, cs_id) as ws:
        answers = pipelined(ws, 1000)
    assert [answer[0] for answer in answers] == [3] * 1000


@pytest.fixture
def tight_server(tmp_path):
    server = start_server(tmp_path, {"CSMS_STATION_CALL_RATE": "100"})
    yield server
    server.stop()


def test_a_flooding_station_is_told_then_closed_and_others_are_served(tight_server):
    add_station(tight_server, "FLOOD")
    add_station(tight_server, "CALM")
    with ws_connect(tight_server, "FLOOD") as flood, ws_connect(tight_server, "CALM") as calm:
        answers = pipelined(flood, 1000)
        calm.send(HEARTBEAT.format(n="calm"))
        assert json.loads(calm.recv(timeout=10))[:2] == [3, "calm"]
        close_code = flood.close_code
    kinds = [answer[0] for answer in answers]
    assert kinds[:100] == [3] * 100  # its burst
    refused = [answer for answer in answers if answer[0] == 4]
    assert refused and all(answer[2] == "GenericError" and "at most 100" in answer[3] for answer in refused)
    assert close_code == 1008
    assert any(event["type"] == "RateLimitExceeded" for event in security_events(tight_server, "FLOOD"))
