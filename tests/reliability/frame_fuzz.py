"""OCPP-J frames from hypothesis against a live server, for 1.6, 2.0.1 and 2.1: schema-valid but odd payloads of every
action the CSMS takes must get a CALLRESULT, anything else the version's CALLERROR (never InternalError) or nothing,
and the connection must stay usable; the server must stay up and log no traceback.

`python -m tests.reliability.frame_fuzz --seconds 600` runs until the time is up and prints the case count (`make
fuzz`); tests/reliability/test_frame_fuzz.py runs a bounded number of cases.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

import handlers
from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.reliability.ocpp_strategies import garbage, ids, payloads, station_actions

SUBPROTOCOLS = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}
CODES = {
    "1.6": {"NotImplemented", "NotSupported", "ProtocolError", "SecurityError", "FormationViolation",
            "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError"},
    "2.0.1": {"FormatViolation", "GenericError", "MessageTypeNotSupported", "NotImplemented", "NotSupported",
              "OccurrenceConstraintViolation", "PropertyConstraintViolation", "ProtocolError", "RpcFrameworkError",
              "SecurityError", "TypeConstraintViolation"},
}  # InternalError is left out on purpose: it means a handler failed
CODES["2.1"] = CODES["2.0.1"]
_probes = itertools.count()


def open_station(server: LiveServer, cs_id: str, version: str) -> ClientConnection:
    return connect(f"{server.ws_url}/{cs_id}", subprotocols=[SUBPROTOCOLS[version]], open_timeout=10, max_size=None,
                   additional_headers=basic_auth(cs_id, STATION_PASSWORD))


def exchange(ws: ClientConnection, frame: str) -> list[Any]:
    """Send `frame`, then a Heartbeat; the frames that came back before the Heartbeat's answer."""
    probe = f"probe-{next(_probes)}"
    ws.send(frame)
    ws.send(json.dumps([2, probe, "Heartbeat", {}]))
    answers = []
    while True:
        message = json.loads(ws.recv(timeout=10))
        if message[:2] == [3, probe]:
            return answers
        answers.append(message)


def check_valid_call(ws: ClientConnection, action: str, payload: dict, reused_id: bool = False) -> None:
    """A schema-valid CALL gets its CALLRESULT, also under a message id the station used before (OCPP-J: answer it)."""
    message_id = "reused" if reused_id else f"valid-{next(_probes)}"
    answers = exchange(ws, json.dumps([2, message_id, action, payload], ensure_ascii=False))
    assert len(answers) == 1 and answers[0][:2] == [3, message_id], (action, payload, answers)


def check_garbage(ws: ClientConnection, version: str, frame: str) -> None:
    for answer in exchange(ws, frame):
        assert isinstance(answer, list) and answer[0] in (3, 4), (frame, answer)
        if answer[0] == 4:
            assert answer[2] in CODES[version] and isinstance(answer[4], dict), (frame, answer)


def cases(version: str) -> st.SearchStrategy[tuple[str, Any]]:
    actions = station_actions(version, handlers.ROUTES[version].handlers)
    valid = st.tuples(st.sampled_from(actions), st.booleans()).flatmap(
        lambda pick: payloads(pick[0], version).map(lambda p: ("valid", (pick[0], p, pick[1]))))
    odd_id = st.tuples(ids(), st.sampled_from(actions)).map(
        lambda pair: ("garbage", json.dumps([2, pair[0], pair[1], {}], ensure_ascii=False)))
    return st.one_of(valid, garbage().map(lambda frame: ("garbage", frame)), odd_id)


def run_cases(ws: ClientConnection, version: str, examples: int, seed: int | None = None) -> int:
    """`examples` cases against one connection; the number run. A failed check raises with the case."""
    count = itertools.count(1)

    @given(case=cases(version))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
              suppress_health_check=list(HealthCheck))
    def run(case: tuple[str, Any]) -> None:
        next(count)
        kind, value = case
        if kind == "valid":
            check_valid_call(ws, *value)
        else:
            check_garbage(ws, version, value)

    if seed is not None:
        run = hypothesis_seed(seed)(run)
    run()
    return next(count) - 1


def server_is_healthy(server: LiveServer, version: str) -> None:
    """A fresh station still boots, and nothing in the log says a handler failed."""
    with open_station(server, "FUZZ-CHECK", version) as ws:
        [answer] = exchange(ws, json.dumps([2, "hb", "Heartbeat", {}]))
        assert answer[:2] == [3, "hb"]
    assert "Traceback" not in server.log(), server.log()[-3000:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()
    deadline, total = time.monotonic() + args.seconds, 0
    with tempfile.TemporaryDirectory(prefix="csms-fuzz-") as folder:
        server = LiveServer.start(Path(folder), {"CSMS_AUTH_FAILURE_LIMIT": "100000"})
        try:
            for cs_id in ("FUZZ-1.6", "FUZZ-2.0.1", "FUZZ-2.1", "FUZZ-CHECK"):
                server.register(cs_id)
            for round_number in itertools.count():
                if time.monotonic() > deadline:
                    break
                for version in SUBPROTOCOLS:
                    with open_station(server, f"FUZZ-{version}", version) as ws:
                        total += run_cases(ws, version, 500, seed=round_number)
                    server_is_healthy(server, version)
                print(f"{total} cases, no 5xx, no crash", flush=True)
        finally:
            server.stop()
    print(f"fuzz cases {total}: every answer as the spec asks, the server up")


if __name__ == "__main__":
    sys.exit(main())
