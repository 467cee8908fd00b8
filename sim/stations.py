"""The station classes: `ocpp` ChargePoints (1.6, 2.0.1, 2.1) that record every CSMS call and answer it.

A station answers from `answers` (a script: what a test tells it) or, without a script, from its `model` (the
simulator's stateful station, sim/model.py). Tests and the simulator use these same classes.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import time
from dataclasses import asdict
from typing import Any, Callable, Coroutine, Protocol

from ocpp.charge_point import camel_to_snake_case, remove_nones, snake_to_camel_case
from ocpp.exceptions import NotImplementedError as OcppNotImplemented
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

SILENT = object()  # as an answer: record the call and never reply
Answer = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | Exception | None

DEFAULT_ANSWERS: dict[str, Any] = {
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


class ConnectionLost(Exception):
    """The connection closed while a CALL waited for its answer (or before it could be sent)."""


class Model(Protocol):
    """What a station without a script answers with (sim/model.py)."""

    def answer(self, action: str, payload: dict[str, Any]) -> tuple[dict[str, Any] | None, Coroutine | None]:
        """The answer (None: not implemented) and what the station does once it has sent it."""


def all_accepted(request: dict[str, Any]) -> dict[str, Any]:
    """A SetVariables answer accepting every item of the request."""
    return {
        "setVariableResult": [
            {"attributeStatus": "Accepted", "component": item["component"], "variable": item["variable"],
             "attributeType": item.get("attributeType", "Actual")}
            for item in request["setVariableData"]
        ]
    }


class Recorder:
    """Mixin: every CSMS call gets its answer; a scripted station's calls also land in `received` (action, camelCase
    payload)."""

    result_module: Any
    call_module: Any
    answers: dict[str, Answer]
    received: asyncio.Queue
    route_map: dict[str, dict[str, Any]]
    _response_queue: asyncio.Queue

    def _install_recorder(self, answers: dict[str, Answer] | None, model: Model | None) -> None:
        scripted = {**DEFAULT_ANSWERS, "SetVariables": all_accepted} if model is None else {}
        self.answers = {**scripted, **(answers or {})}
        self.model = model
        self.silent: set[str] = {action for action, answer in self.answers.items() if answer is SILENT}
        self.received = asyncio.Queue()
        self._followup: Coroutine | None = None
        for action in dir(self.result_module):
            if action[0].isupper() and hasattr(self.result_module, action):
                self.route_map[action] = {"_on_action": self._handler(action), "_after_action": self._after}

    def _handler(self, action: str) -> Callable[..., Any]:
        async def handle(**kwargs: Any) -> Any:
            if self._followup is not None:  # left by an answer that never went out (it failed its schema)
                self._followup.close()
                self._followup = None
            payload = snake_to_camel_case(kwargs)
            if self.model is None:  # a modelled station keeps no record: a long simulation would pile it up
                self.received.put_nowait((action, payload))
            answer = await self._answer(action, payload)
            if answer is None:
                raise OcppNotImplemented(description=f"{action} not implemented by this station")
            return getattr(self.result_module, action)(**camel_to_snake_case(answer))

        return handle

    async def _answer(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        answer = self.answers.get(action)
        if answer is None and self.model is not None:
            answer, self._followup = self.model.answer(action, payload)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            answer = answer(payload)
        if inspect.isawaitable(answer):
            answer = await answer
        return answer

    def _after(self, **_: Any) -> Coroutine | None:
        """Run what the model asked for once the answer is out (RemoteStop's StopTransaction, Reset's reboot)."""
        followup, self._followup = self._followup, None
        return followup

    async def route_message(self, raw: str) -> None:
        if self.silent:
            message = json.loads(raw)
            if message[0] == 2 and message[2] in self.silent:  # record, never answer: the CSMS's call times out
                self.received.put_nowait((message[2], message[3]))
                return
        await super().route_message(raw)  # type: ignore[misc]

    async def start(self) -> None:
        try:
            await super().start()  # type: ignore[misc]
        finally:
            self._response_queue.put_nowait(None)  # no answer comes now: wake a CALL waiting for one

    async def _get_specific_response(self, unique_id: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            response = await asyncio.wait_for(self._response_queue.get(), max(deadline - time.monotonic(), 0))
            if response is None:
                self._response_queue.put_nowait(None)
                raise ConnectionLost(f"connection closed before the answer to {unique_id}")
            if response.unique_id == unique_id:
                return response

    async def next_call(self, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        return await asyncio.wait_for(self.received.get(), timeout)

    async def send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a station CALL given in camelCase (schema-checked by the package both ways); a CALLERROR raises."""
        request = getattr(self.call_module, action)(**camel_to_snake_case(payload))
        answer = await self.call(request, suppress=False)  # type: ignore[attr-defined]
        return remove_nones(snake_to_camel_case(asdict(answer)))


class Station16(Recorder, ChargePoint16):
    result_module = result16
    call_module = call16

    def __init__(self, cs_id: str, connection: Any, answers: dict[str, Answer] | None = None,
                 model: Model | None = None, response_timeout: float = 30) -> None:
        super().__init__(cs_id, connection, response_timeout)
        self._install_recorder(answers, model)

    async def boot(self) -> str:
        answer = await self.call(call16.BootNotification(charge_point_model="M1", charge_point_vendor="ACME"))
        return answer.status


class Station201(Recorder, ChargePoint201):
    result_module = result201
    call_module = call201

    def __init__(self, cs_id: str, connection: Any, answers: dict[str, Answer] | None = None,
                 model: Model | None = None, response_timeout: float = 30) -> None:
        super().__init__(cs_id, connection, response_timeout)
        self._install_recorder(answers, model)

    async def boot(self) -> str:
        answer = await self.send("BootNotification", {"chargingStation": {"model": "M2", "vendorName": "ACME"},
                                                      "reason": "PowerUp"})
        return answer["status"]


class Station21(Station201):
    """OCPP 2.1: the 2.0.1 station's behaviour with 2.1's messages and schemas (as ocpp.v21.ChargePoint sets them)."""

    result_module = result21
    call_module = call21
    _call, _call_result, _ocpp_version = call21, result21, "2.1"


STATION_CLASSES: dict[str, type[Station16] | type[Station201]] = {"1.6": Station16, "2.0.1": Station201, "2.1": Station21}
