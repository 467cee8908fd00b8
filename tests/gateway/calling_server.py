"""The real server plus one subscriber: on each accepted boot it calls the station through Connection.call.

Test-only entry point (the outbox will be the real subscriber): prints `OUTCOME {json}` per call.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import dataclasses  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gateway  # noqa: E402
import server  # noqa: E402
from config import Config  # noqa: E402
from gateway.connection import Connection  # noqa: E402

CALLS = {
    "1.6": [("GetConfiguration", {"key": ["HeartbeatInterval"]}), ("ClearCache", {}),
            ("UnlockConnector", {"connectorId": 1}), ("Reset", {"type": "Soft"})],
    "2.0.1": [("GetVariables", {"getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}]}),
              ("ClearCache", {}), ("UnlockConnector", {"evseId": 1, "connectorId": 1}), ("Reset", {"type": "Immediate"})],
}


def report(kind: str, outcome) -> None:
    print(f"{kind} " + json.dumps(dataclasses.asdict(outcome)), flush=True)


def call_station(connection: Connection) -> None:
    for action, payload in CALLS[connection.ocpp_version]:
        report("OUTCOME", connection.call(action, payload, timeout=2))
    try:
        connection.call("Reset", {"type": "NoSuchType"})
    except Exception as error:  # noqa: BLE001 - reported for the test to read
        print(f"REFUSED {type(error).__name__}", flush=True)


gateway.hooks.boot_accepted.append(call_station)
gateway.hooks.late_outcome.append(lambda connection, outcome: report("LATE", outcome))
server.serve(Config.from_env())
