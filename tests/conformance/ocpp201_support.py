"""A live CSMS and real OCPP 2.0.1 stations (the `ocpp` package's ChargePoint over websockets) for OCTT-style cases."""
from __future__ import annotations

import asyncio
import itertools
from dataclasses import asdict
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

import pytest
from ocpp.charge_point import camel_to_snake_case, remove_nones, snake_to_camel_case
from ocpp.v201 import call

from tests.conftest import LiveServer, station_client

NOW = "2026-01-01T10:00:00Z"
_station_numbers = itertools.count(1)
_contract_numbers = itertools.count(1)


class Station:
    """A connected 2.0.1 station that sends camelCase payloads and gets camelCase answers."""

    def __init__(self, charge_point: Any) -> None:
        self.charge_point = charge_point

    async def send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL (schema-checked by the package both ways); a CALLERROR raises."""
        request = getattr(call, action)(**camel_to_snake_case(payload))
        answer = await self.charge_point.call(request, suppress=False)
        return remove_nones(snake_to_camel_case(asdict(answer)))

    async def boot(self) -> dict[str, Any]:
        station = {"model": "Conformance-201", "vendorName": "CSMS tests", "serialNumber": "SN-1"}
        return await self.send("BootNotification", {"chargingStation": station, "reason": "PowerUp"})


Scenario = Callable[[Station], Awaitable[Any]]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One CSMS process per test module; each test uses its own station id."""
    live = LiveServer.start(Path(tmp_path_factory.mktemp("ocpp201")))
    yield live
    live.stop()


def new_station(server: LiveServer, **registration: Any) -> str:
    """A registered station id (by default securityProfile 0, Basic auth with conftest's password)."""
    cs_id = f"CS201-{next(_station_numbers)}"
    server.register(cs_id, **registration)
    return cs_id


def run(server: LiveServer, cs_id: str, scenario: Scenario, boot: bool = True) -> Any:
    """Connect as `cs_id` with subprotocol ocpp2.0.1, boot (unless told not to) and run `scenario`."""

    async def session() -> Any:
        async with station_client(server.ws_url, cs_id, "ocpp2.0.1") as charge_point:
            station = Station(charge_point)
            if boot:
                assert (await station.boot())["status"] == "Accepted"
            return await scenario(station)

    return asyncio.run(session())


def add_token(server: LiveServer, uid: str, valid: bool = True, **extra: Any) -> None:
    """A token in the CSMS's store through POST /token."""
    body = {
        "countryCode": "NL", "partyId": "TST", "type": "RFID", "uid": uid, "contractId": f"NL-TST-C{next(_contract_numbers):08d}",
        "issuer": "tests", "valid": valid, "cacheMode": "ALWAYS",
    } | extra
    response = server.api("POST", "/token", json=body)
    assert response.status_code == 201, response.text


def id_token(value: str, token_type: str = "ISO14443") -> dict[str, str]:
    return {"idToken": value, "type": token_type}


def energy(wh: float, timestamp: str = NOW, context: str = "Sample.Periodic", **extra: Any) -> dict[str, Any]:
    """A meterValue with one Energy.Active.Import.Register sample in Wh."""
    sample = {"value": wh, "context": context, "measurand": "Energy.Active.Import.Register",
              "unitOfMeasure": {"unit": "Wh"}} | extra
    return {"timestamp": timestamp, "sampledValue": [sample]}


def status(connector_status: str, evse_id: int = 1, connector_id: int = 1) -> dict[str, Any]:
    return {"timestamp": NOW, "connectorStatus": connector_status, "evseId": evse_id, "connectorId": connector_id}


class Transaction:
    """Builds the TransactionEvents of one transaction with consecutive seqNo from 0."""

    def __init__(self, transaction_id: str, evse_id: int = 1) -> None:
        self.transaction_id = transaction_id
        self.evse = {"id": evse_id, "connectorId": 1}
        self._seq_no = itertools.count(0)

    def event(self, event_type: str, trigger: str, timestamp: str = NOW, **fields: Any) -> dict[str, Any]:
        info = {"transactionId": self.transaction_id} | fields.pop("info", {})
        payload = {"eventType": event_type, "timestamp": timestamp, "triggerReason": trigger,
                   "seqNo": next(self._seq_no), "transactionInfo": info} | fields
        if event_type == "Started":
            payload.setdefault("evse", self.evse)
        if payload.get("evse") is None:  # evse=None: the EVSE is not known yet
            payload.pop("evse", None)
        return payload
