"""A live CSMS and real OCPP 1.6 stations (the `ocpp` package's ChargePoint over websockets) for OCTT-style cases.

The station is sim/stations.py's recording 1.6 ChargePoint: it records every CSMS call and answers as
told, so a case can queue an operation through the API (as an operator would), check the exact message the
station receives and check that the station's answer completes the command.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

import pytest
from ocpp.charge_point import camel_to_snake_case, remove_nones, snake_to_camel_case
from ocpp.v16 import call

from tests.conftest import LiveServer
from sim.stations import Answer, Station16
from tests.stations import recording_station

NOW = "2026-01-01T10:00:00Z"
LATER = "2026-01-01T10:30:00Z"
EXPIRY = "2099-01-01T00:00:00Z"
_station_numbers = itertools.count(1)
_contract_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One CSMS process per test module; each test uses its own station id."""
    live = LiveServer.start(Path(tmp_path_factory.mktemp("ocpp16")))
    yield live
    live.stop()


def new_station(server: LiveServer, **registration: Any) -> str:
    """A registered station id (by default securityProfile 0, Basic auth with conftest's password)."""
    cs_id = f"CS16-{next(_station_numbers)}"
    server.register(cs_id, **registration)
    return cs_id


# Answers beyond sim/stations.py's defaults, so every 1.6 CSMS call of these cases has a happy answer.
DEFAULT_ANSWERS: dict[str, Answer] = {
    "ReserveNow": {"status": "Accepted"}, "CancelReservation": {"status": "Accepted"},
    "RemoteStopTransaction": {"status": "Accepted"}, "ChangeAvailability": {"status": "Accepted"},
    "UpdateFirmware": {}, "GetDiagnostics": {"fileName": "diagnostics.zip"}, "GetLocalListVersion": {"listVersion": 0},
    "SendLocalList": {"status": "Accepted"}, "ClearChargingProfile": {"status": "Accepted"},
    "CertificateSigned": {"status": "Accepted"}, "DeleteCertificate": {"status": "Accepted"},
    "GetLog": {"status": "Accepted", "filename": "security.log"}, "SignedUpdateFirmware": {"status": "Accepted"},
}

Scenario = Callable[[Station16], Awaitable[Any]]


def run(server: LiveServer, cs_id: str, scenario: Scenario, answers: dict[str, Answer] | None = None,
        boot: bool = True, **connect: Any) -> Any:
    """Connect as `cs_id` (ocpp1.6), boot (unless told not to) and run `scenario(station)`; at most 90 s."""

    async def session() -> Any:
        async with recording_station(server, cs_id, "1.6", DEFAULT_ANSWERS | (answers or {}), boot=boot, **connect) as station:
            return await scenario(station)

    return asyncio.run(asyncio.wait_for(session(), 90))


async def send(station: Station16, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Send a station CALL (schema-checked by the package both ways); a CALLERROR raises. camelCase both ways."""
    request = getattr(call, action)(**camel_to_snake_case(payload))
    answer = await station.call(request, suppress=False)
    return remove_nones(snake_to_camel_case(asdict(answer)))


async def status(station: Station16, connector_status: str, connector_id: int = 1, error_code: str = "NoError",
                 **extra: Any) -> dict[str, Any]:
    payload = {"connectorId": connector_id, "errorCode": error_code, "status": connector_status, "timestamp": NOW}
    return await send(station, "StatusNotification", payload | extra)


async def start(station: Station16, id_tag: str, connector_id: int = 1, meter_start: int = 1000,
                timestamp: str = NOW, **extra: Any) -> dict[str, Any]:
    payload = {"connectorId": connector_id, "idTag": id_tag, "meterStart": meter_start, "timestamp": timestamp}
    return await send(station, "StartTransaction", payload | extra)


async def stop(station: Station16, transaction_id: int, meter_stop: int = 6000, timestamp: str = LATER,
               **extra: Any) -> dict[str, Any]:
    payload = {"transactionId": transaction_id, "meterStop": meter_stop, "timestamp": timestamp}
    return await send(station, "StopTransaction", payload | extra)


def energy(wh: int, timestamp: str = NOW, context: str = "Sample.Periodic") -> dict[str, Any]:
    """A 1.6 meterValue with one Energy.Active.Import.Register sample in Wh."""
    sample = {"value": str(wh), "context": context, "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
    return {"timestamp": timestamp, "sampledValue": [sample]}


def add_token(server: LiveServer, uid: str, valid: bool = True, **extra: Any) -> None:
    """A token in the CSMS's store through POST /token."""
    body = {
        "countryCode": "NL", "partyId": "TST", "type": "RFID", "uid": uid,
        "contractId": f"NL-TST-D{next(_contract_numbers):08d}", "issuer": "tests", "valid": valid, "cacheMode": "ALWAYS",
    } | extra
    response = server.api("POST", "/token", json=body)
    assert response.status_code == 201, response.text


def _queue(server: LiveServer, cs_id: str, path: str, body: dict[str, Any]) -> int:
    response = server.api("POST", f"/cs/{cs_id}/{path}", json=body)
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def queue(server: LiveServer, cs_id: str, path: str, body: dict[str, Any]) -> int:
    """Queue an operation through a typed endpoint (`reset`, `remote-start`, …) or `call`; the command id."""
    return await asyncio.to_thread(_queue, server, cs_id, path, body)


async def queue_call(server: LiveServer, cs_id: str, action: str, payload: dict[str, Any]) -> int:
    """Queue any 1.6 CSMS action through POST /cs/{csId}/call."""
    return await queue(server, cs_id, "call", {"action": action, "payload": payload})


def _seed(server: LiveServer, cs_id: str, path: str, body: dict[str, Any]) -> None:
    response = server.api("POST", f"/cs/{cs_id}/{path}", json=body)
    assert response.status_code == 200, response.text


async def seed(server: LiveServer, cs_id: str, station: Station16, path: str, body: dict[str, Any]
               ) -> tuple[tuple[str, dict[str, Any]], dict[str, Any]]:
    """A seed operation (`reconfigure`, `trigger`, `certificates`, `setchargingprofile`, answered 200): the call the
    station receives and the station's newest command once finished."""
    await asyncio.to_thread(_seed, server, cs_id, path, body)
    received = await station.next_call()
    return received, await finished(server, cs_id)


def _finished(server: LiveServer, cs_id: str, command_id: int | None, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    command: dict[str, Any] = {}
    while time.monotonic() < deadline:
        if command_id is None:
            listed = server.api("GET", f"/cs/{cs_id}/commands").json()
            command = listed[0] if listed else {}
        else:
            command = server.api("GET", f"/cs/{cs_id}/commands/{command_id}").json()
        if command.get("status") in ("completed", "failed", "expired"):
            return command
        time.sleep(0.1)
    raise AssertionError(f"command {command_id} not finished: {command}")


async def finished(server: LiveServer, cs_id: str, command_id: int | None = None, timeout: float = 20) -> dict[str, Any]:
    """The command once it is completed or failed (None: the station's newest command)."""
    return await asyncio.to_thread(_finished, server, cs_id, command_id, timeout)


async def operate(server: LiveServer, cs_id: str, station: Station16, path: str, body: dict[str, Any]
                  ) -> tuple[tuple[str, dict[str, Any]], dict[str, Any]]:
    """Queue an operation, take the call the station receives and wait for the command to finish."""
    command_id = await queue(server, cs_id, path, body)
    received = await station.next_call()
    return received, await finished(server, cs_id, command_id)


async def api(server: LiveServer, method: str, path: str, **kwargs: Any) -> Any:
    """An API request from inside a scenario (in a thread, so the station keeps answering); the JSON answer."""
    response = await asyncio.to_thread(server.api, method, path, **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def transaction(server: LiveServer, transaction_id: int | str) -> dict[str, Any]:
    response = server.api("GET", f"/transactions/{transaction_id}")
    assert response.status_code == 200, response.text
    return response.json()


def connectors(server: LiveServer, cs_id: str) -> dict[int, str]:
    """1.6 connector id (evseId) → last reported status."""
    return {c["evseId"]: c["status"] for c in server.api("GET", f"/cs/{cs_id}").json()["connectors"]}


def events(server: LiveServer, cs_id: str, limit: int = 100) -> list[dict[str, Any]]:
    return server.api("GET", f"/cs/{cs_id}/events", params={"limit": limit}).json()
