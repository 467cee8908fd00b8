"""Real `ocpp` stations (1.6 and 2.0.1 ChargePoints over websockets) that record the CSMS's calls and answer as told."""
from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
from dataclasses import asdict
from typing import Any, AsyncIterator, Callable

import requests
from ocpp.charge_point import camel_to_snake_case, remove_nones, snake_to_camel_case
from ocpp.exceptions import NotImplementedError as OcppNotImplemented
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from tests.conftest import LiveServer, station_client

SILENT = object()  # as an answer: record the call and never reply
Answer = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | Exception | None

DEFAULT_ANSWERS: dict[str, dict[str, Any]] = {
    "ChangeConfiguration": {"status": "Accepted"},
    "SetVariables": None,  # built from the request: every item Accepted
    "TriggerMessage": {"status": "Accepted"},
    "ExtendedTriggerMessage": {"status": "Accepted"},
    "InstallCertificate": {"status": "Accepted"},
    "CertificateSigned": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "SetChargingProfile": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted", "data": '{"status": "Accepted"}'},
    "ClearCache": {"status": "Accepted"},
    "GetConfiguration": {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]},
    "UnlockConnector": {"status": "Unlocked"},
    "RemoteStartTransaction": {"status": "Accepted"},
    "RequestStartTransaction": {"status": "Accepted"},
}


def _all_accepted(request: dict[str, Any]) -> dict[str, Any]:
    return {
        "setVariableResult": [
            {"attributeStatus": "Accepted", "component": item["component"], "variable": item["variable"],
             "attributeType": item.get("attributeType", "Actual")}
            for item in request["setVariableData"]
        ]
    }


class Recorder:
    """Mixin: every CSMS call lands in `received` (action, camelCase payload) and gets the configured answer."""

    result_module: Any
    call_module: Any
    answers: dict[str, Answer]
    received: asyncio.Queue

    def _install_recorder(self, answers: dict[str, Answer]) -> None:
        self.answers = {**DEFAULT_ANSWERS, "SetVariables": _all_accepted, **answers}
        self.silent: set[str] = {action for action, answer in self.answers.items() if answer is SILENT}
        self.received = asyncio.Queue()
        for action in dir(self.result_module):
            if action[0].isupper() and hasattr(self.result_module, action):
                self.route_map[action] = {"_on_action": self._handler(action)}

    def _handler(self, action: str) -> Callable[..., Any]:
        async def handle(**kwargs: Any) -> Any:
            payload = snake_to_camel_case(kwargs)
            self.received.put_nowait((action, payload))
            answer = self.answers.get(action)
            if isinstance(answer, Exception):
                raise answer
            if callable(answer):
                answer = answer(payload)
            if inspect.isawaitable(answer):
                answer = await answer
            if answer is None:
                raise OcppNotImplemented(description=f"{action} not implemented by this test station")
            return getattr(self.result_module, action)(**camel_to_snake_case(answer))

        return handle

    async def route_message(self, raw: str) -> None:
        message = json.loads(raw)
        if message[0] == 2 and message[2] in self.silent:  # record, never answer: the CSMS's call times out
            self.received.put_nowait((message[2], message[3]))
            return
        await super().route_message(raw)

    async def next_call(self, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        return await asyncio.wait_for(self.received.get(), timeout)

    async def send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a station CALL given in camelCase (schema-checked by the package both ways); a CALLERROR raises."""
        request = getattr(self.call_module, action)(**camel_to_snake_case(payload))
        answer = await self.call(request, suppress=False)
        return remove_nones(snake_to_camel_case(asdict(answer)))


class Station16(Recorder, ChargePoint16):
    result_module = result16
    call_module = call16

    def __init__(self, cs_id: str, connection: Any, answers: dict[str, Answer] | None = None) -> None:
        super().__init__(cs_id, connection)
        self._install_recorder(answers or {})

    async def boot(self) -> str:
        answer = await self.call(call16.BootNotification(charge_point_model="M1", charge_point_vendor="ACME"))
        return answer.status


class Station201(Recorder, ChargePoint201):
    result_module = result201
    call_module = call201

    def __init__(self, cs_id: str, connection: Any, answers: dict[str, Answer] | None = None) -> None:
        super().__init__(cs_id, connection)
        self._install_recorder(answers or {})

    async def boot(self) -> str:
        station = call201.BootNotification(
            charging_station={"model": "M2", "vendor_name": "ACME"}, reason="PowerUp"
        )
        return (await self.call(station)).status


@contextlib.asynccontextmanager
async def recording_station(
    server: LiveServer,
    cs_id: str,
    version: str,
    answers: dict[str, Answer] | None = None,
    boot: bool = True,
    url: str | None = None,
    **kwargs: Any,
) -> AsyncIterator[Station16 | Station201]:
    """A connected (and by default booted) recording station of `version` ("1.6" or "2.0.1"), over `url` (default
    the server's ws:// one)."""
    station_class = Station16 if version == "1.6" else Station201

    def factory(cs: str, connection: Any) -> Any:
        return station_class(cs, connection, answers)

    async with station_client(url or server.ws_url, cs_id, f"ocpp{version}", charge_point_class=factory, **kwargs) as station:
        if boot:
            assert await station.boot() == "Accepted"
        yield station


def wait_for_command(server: LiveServer, cs_id: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 15) -> dict[str, Any]:
    """Poll GET /cs/{csId}/commands until one command satisfies `predicate`; return it."""
    deadline = time.monotonic() + timeout
    commands: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        commands = requests.get(f"{server.api_url}/cs/{cs_id}/commands", timeout=5).json()
        found = next((command for command in commands if predicate(command)), None)
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no such command; have {commands}")


def api_read(server: LiveServer, path: str) -> Any:
    """GET an API path that must answer 200; its JSON."""
    response = requests.get(f"{server.api_url}{path}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


async def operate(
    server: LiveServer, cs_id: str, station: Recorder, path: str, body: dict[str, Any]
) -> tuple[tuple[str, dict[str, Any]], dict[str, Any]]:
    """POST /cs/{csId}/<path> (202), the call the station receives, and the command once completed or failed."""
    queued = await asyncio.to_thread(requests.post, f"{server.api_url}/cs/{cs_id}/{path}", json=body, timeout=10)
    assert queued.status_code == 202, queued.text
    received = await station.next_call()
    command_id = queued.json()["id"]

    def is_done(command: dict[str, Any]) -> bool:
        return command["id"] == command_id and command["status"] in ("completed", "failed")

    return received, await asyncio.to_thread(wait_for_command, server, cs_id, is_done)
