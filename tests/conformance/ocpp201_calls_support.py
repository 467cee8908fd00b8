"""OCTT 2.0.1 cases in which the CSMS sends calls: a live CSMS, recording 2.0.1 stations and the operator's API.

Each case queues its operation through the management API as an operator would, checks the exact call the
station receives, lets the station answer as the case's station does and then checks the stored command and
the follow-up messages. The station is sim/stations.py's recording 2.0.1 ChargePoint; messages it
sends itself go through ocpp201_support's `Station` (camelCase payloads, schema-checked by the `ocpp` package).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

import pytest
import requests

from ocpp201_support import NOW, Station
from tests.conftest import LiveServer
from sim.stations import Answer
from tests.stations import recording_station

FINAL = ("completed", "failed")
# Short retries so a case whose station answers Failed (retried like a timeout) ends within seconds.
CALLS_ENV = {"CSMS_CALL_TIMEOUT": "10", "CSMS_COMMAND_RETRY_DELAY": "0.5", "CSMS_COMMAND_MAX_ATTEMPTS": "2"}
_numbers = itertools.count(1)
# Answers of a well-behaved station to calls that sim/stations.py's defaults leave unanswered (NotImplemented).
ACCEPTED = {"status": "Accepted"}
CALL_DEFAULTS: dict[str, Answer] = {action: ACCEPTED for action in (
    "UpdateFirmware", "GetLog", "CustomerInformation", "RequestStopTransaction", "ChangeAvailability",
    "SetNetworkProfile", "DeleteCertificate", "ClearCache", "Reset", "TriggerMessage", "InstallCertificate")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One CSMS process per test module; each case uses its own station id."""
    live = LiveServer.start(Path(tmp_path_factory.mktemp("ocpp201calls")), CALLS_ENV)
    yield live
    live.stop()


def new_station(server: LiveServer, **registration: Any) -> str:
    cs_id = f"CALL201-{next(_numbers)}"
    server.register(cs_id, **registration)
    return cs_id


class Case:
    """One case's station: `calls` records and answers the CSMS's calls, `station` sends the station's own."""

    def __init__(self, server: LiveServer, cs_id: str, recorder: Any) -> None:
        self.server, self.cs_id, self.recorder = server, cs_id, recorder
        self.station = Station(recorder)

    # -- the operator's side (blocking HTTP run in a thread, so the station keeps answering) ----------------
    async def api(self, method: str, path: str, body: Any = None, expect: int | None = None) -> requests.Response:
        kwargs = {} if body is None else {"json": body}
        response = await asyncio.to_thread(self.server.api, method, path, **kwargs)
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    async def queue(self, operation: str, body: dict[str, Any]) -> int:
        """POST /cs/{csId}/<operation> (typed endpoint or `call`): 202 with the pending command; its id."""
        command = (await self.api("POST", f"/cs/{self.cs_id}/{operation}", body, 202)).json()
        assert command["status"] in ("pending", "sent", "completed"), command
        return command["id"]

    async def seed(self, operation: str, body: dict[str, Any]) -> None:
        """POST /cs/{csId}/<operation> of the seed API (reconfigure, certificates, trigger): 200, empty."""
        await self.api("POST", f"/cs/{self.cs_id}/{operation}", body, 200)

    async def finished(self, command_id: int | None = None, action: str | None = None, timeout: float = 15) -> dict[str, Any]:
        """The command (by id, else the newest with `action`) once it is completed or failed."""
        deadline = time.monotonic() + timeout
        seen: Any = None
        while time.monotonic() < deadline:
            if command_id is not None:
                seen = (await self.api("GET", f"/cs/{self.cs_id}/commands/{command_id}", expect=200)).json()
                if seen["status"] in FINAL:
                    return seen
            else:
                seen = (await self.api("GET", f"/cs/{self.cs_id}/commands?limit=100", expect=200)).json()
                found = next((c for c in seen if c["action"] == action and c["status"] in FINAL), None)
                if found is not None:
                    return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"command not finished: {seen}")

    async def notifications(self, action: str) -> list[dict[str, Any]]:
        """The stored notifications of `action` (GET /cs/{csId}/events), oldest first."""
        events = (await self.api("GET", f"/cs/{self.cs_id}/events?limit=100", expect=200)).json()
        found = [event for event in events if event["kind"] == "notification" and event["type"] == action]
        return list(reversed(found))

    async def security_events(self) -> list[str]:
        events = (await self.api("GET", f"/cs/{self.cs_id}/events?limit=100", expect=200)).json()
        return [event["type"] for event in reversed(events) if event["kind"] == "security"]

    async def connector_status(self, evse_id: int = 1, connector_id: int = 1) -> str | None:
        station = (await self.api("GET", f"/cs/{self.cs_id}", expect=200)).json()
        found = [c for c in station["connectors"] if (c["evseId"], c["connectorId"]) == (evse_id, connector_id)]
        return found[0]["status"] if found else None

    async def transaction(self, transaction_id: str) -> dict[str, Any]:
        return (await self.api("GET", f"/transactions/{transaction_id}", expect=200)).json()

    # -- the station's side ----------------------------------------------------------------------------------
    async def next_call(self, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        return await self.recorder.next_call(timeout)

    async def no_call(self, seconds: float = 1.5) -> None:
        """Nothing more arrives for `seconds`."""
        with pytest.raises(asyncio.TimeoutError):
            call = await self.recorder.next_call(seconds)
            raise AssertionError(f"unexpected call {call}")

    async def send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await self.station.send(action, payload)

    async def status(self, connector_status: str, evse_id: int = 1, connector_id: int = 1) -> None:
        payload = {"timestamp": NOW, "connectorStatus": connector_status, "evseId": evse_id, "connectorId": connector_id}
        assert await self.send("StatusNotification", payload) == {}


CaseScenario = Callable[[Case], Awaitable[Any]]


def run_case(server: LiveServer, scenario: CaseScenario, answers: dict[str, Answer] | None = None, cs_id: str | None = None) -> Any:
    """Connect a new (or the given) registered station as a booted recording 2.0.1 station and run `scenario`."""
    cs_id = cs_id or new_station(server)

    async def session() -> Any:
        async with recording_station(server, cs_id, "2.0.1", {**CALL_DEFAULTS, **(answers or {})}) as recorder:
            return await scenario(Case(server, cs_id, recorder))

    return asyncio.run(asyncio.wait_for(session(), 90))


async def reboot(
    case: Case, reason: str = "RemoteReset", after: CaseScenario | None = None, answers: dict[str, Answer] | None = None, **connect: Any
) -> dict[str, Any]:
    """The station comes back after a reboot: a new connection, a BootNotification with `reason` and a status,
    then `after` (on the new connection); the boot's answer."""
    async with recording_station(case.server, case.cs_id, "2.0.1", {**CALL_DEFAULTS, **(answers or {})}, boot=False, **connect) as recorder:
        again = Case(case.server, case.cs_id, recorder)
        station = {"model": "Conformance-201", "vendorName": "CSMS tests", "serialNumber": "SN-1"}
        answer = await again.send("BootNotification", {"chargingStation": station, "reason": reason})
        await again.status("Available")
        if after is not None:
            await after(again)
        return answer


def body_of(notification: dict[str, Any]) -> dict[str, Any]:
    body = notification["body"]
    return json.loads(body) if isinstance(body, str) else body
