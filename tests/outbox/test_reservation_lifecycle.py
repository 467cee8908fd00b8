"""Reservations as the CSMS keeps them, with real 1.6 and 2.0.1 stations: requested through the API, reserved or
rejected by the station's answer, used by a transaction, cancelled, expired and removed."""
from __future__ import annotations

import asyncio
import itertools
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from ocpp.exceptions import NotSupportedError

from tests.conftest import LiveServer
from tests.stations import api_read, operate, recording_station

FAR = "2099-01-01T00:00:00Z"
NOW = "2026-01-01T10:00:00Z"
VERSIONS = ["1.6", "2.0.1"]
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    live = LiveServer.start(tmp_path_factory.mktemp("reservations"))
    yield live
    live.stop()


def new_station(server: LiveServer) -> str:
    cs_id = f"RES-{next(_numbers)}"
    server.register(cs_id)
    return cs_id


def run(coroutine: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def in_seconds(seconds: float) -> str:
    moment = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reservations(server: LiveServer, cs_id: str) -> list[dict[str, Any]]:
    return api_read(server, f"/cs/{cs_id}/reservations")


def reservation(server: LiveServer, cs_id: str, reservation_id: int) -> dict[str, Any]:
    return api_read(server, f"/cs/{cs_id}/reservations/{reservation_id}")


def reserved_id(command: dict[str, Any]) -> int:
    """The reservation id a ReserveNow carried (1.6 reservationId, 2.0.1 id)."""
    return command["request"].get("reservationId", command["request"].get("id"))


async def start_with_reservation(station: Any, version: str, tag: str, reservation_id: int) -> str:
    """The station starts a transaction on connector / EVSE 1 that uses the reservation; the transaction id."""
    if version == "1.6":
        payload = {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": NOW, "reservationId": reservation_id}
        return str((await station.send("StartTransaction", payload))["transactionId"])
    event = {
        "eventType": "Started", "timestamp": NOW, "triggerReason": "Authorized", "seqNo": 0,
        "transactionInfo": {"transactionId": f"TX-{reservation_id}"}, "idToken": {"idToken": tag, "type": "ISO14443"},
        "evse": {"id": 1, "connectorId": 1}, "reservationId": reservation_id,
    }  # fmt: skip
    await station.send("TransactionEvent", event)
    return f"TX-{reservation_id}"


@pytest.mark.parametrize("version", VERSIONS)
def test_an_accepted_reservation_is_reserved_until_a_transaction_uses_it(server, version):
    cs_id = new_station(server)
    body = {"expiryDateTime": FAR, "idToken": "TAG-1", "evseId": 1, "parentIdTag": "FLEET"}

    async def scenario():
        async with recording_station(server, cs_id, version, {"ReserveNow": {"status": "Accepted"}}) as station:
            _, command = await operate(server, cs_id, station, "reserve-now", body)
            reservation_id = reserved_id(command)
            before = await asyncio.to_thread(reservation, server, cs_id, reservation_id)
            transaction_id = await start_with_reservation(station, version, "TAG-1", reservation_id)
            return command, before, transaction_id

    command, before, transaction_id = run(scenario())
    assert 0 < before["reservationId"] < 2**31
    assert before | {"createdAt": None, "updatedAt": None} == {
        "reservationId": before["reservationId"], "evseId": 1, "idToken": "TAG-1",
        "idTokenType": None if version == "1.6" else "Central", "parentIdTag": "FLEET", "expiryDateTime": FAR,
        "status": "reserved", "stationStatus": "Accepted", "transactionId": None, "commandId": command["id"],
        "createdAt": None, "updatedAt": None,
    }  # fmt: skip
    after = reservation(server, cs_id, before["reservationId"])
    assert (after["status"], after["transactionId"]) == ("used", transaction_id)
    assert reservations(server, cs_id) == [after]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("answer", ["Occupied", "Faulted", "Unavailable", "Rejected"])
def test_a_refused_reservation_is_rejected_with_the_stations_status(server, version, answer):
    cs_id = new_station(server)

    async def scenario():
        async with recording_station(server, cs_id, version, {"ReserveNow": {"status": answer}}) as station:
            return (await operate(server, cs_id, station, "reserve-now", {"expiryDateTime": FAR, "idToken": "TAG-2"}))[1]

    command = run(scenario())
    found = reservation(server, cs_id, reserved_id(command))
    assert (found["status"], found["stationStatus"], found["evseId"]) == ("rejected", answer, 0)


def test_a_callerror_fails_the_reservation(server):
    cs_id = new_station(server)

    async def scenario():
        answers = {"ReserveNow": NotSupportedError(description="no reservations here")}
        async with recording_station(server, cs_id, "1.6", answers) as station:
            return (await operate(server, cs_id, station, "reserve-now", {"expiryDateTime": FAR, "idToken": "TAG-3"}))[1]

    command = run(scenario())
    assert command["status"] == "failed"
    found = reservation(server, cs_id, reserved_id(command))
    assert (found["status"], found["stationStatus"]) == ("failed", None)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("answer, status", [("Accepted", "cancelled"), ("Rejected", "reserved")])
def test_cancel_reservation_frees_it_only_when_the_station_accepts(server, version, answer, status):
    cs_id = new_station(server)
    answers = {"ReserveNow": {"status": "Accepted"}, "CancelReservation": {"status": answer}}

    async def scenario():
        async with recording_station(server, cs_id, version, answers) as station:
            body = {"reservationId": 42, "expiryDateTime": FAR, "idToken": "TAG-4", "evseId": 2}
            await operate(server, cs_id, station, "reserve-now", body)
            return (await operate(server, cs_id, station, "cancel-reservation", {"reservationId": 42}))[1]

    command = run(scenario())
    assert command["response"] == {"status": answer}
    assert reservation(server, cs_id, 42)["status"] == status


@pytest.mark.parametrize("version", VERSIONS)
def test_an_expired_reservation_shows_expired_as_soon_as_its_expiry_passed(server, version):
    cs_id = new_station(server)
    expiry = in_seconds(5)

    async def scenario():
        async with recording_station(server, cs_id, version, {"ReserveNow": {"status": "Accepted"}}) as station:
            body = {"reservationId": 7, "expiryDateTime": expiry, "idToken": "TAG-5", "evseId": 1}
            await operate(server, cs_id, station, "reserve-now", body)

    run(scenario())
    assert reservation(server, cs_id, 7)["status"] == "reserved"
    deadline = time.monotonic() + 10  # well before the outbox's 30 s sweep
    while reservation(server, cs_id, 7)["status"] == "reserved" and time.monotonic() < deadline:
        time.sleep(0.2)
    found = reservation(server, cs_id, 7)
    assert (found["status"], found["expiryDateTime"]) == ("expired", expiry)


@pytest.mark.parametrize("update, status", [("Expired", "expired"), ("Removed", "removed")])
def test_201_reservation_status_update_ends_the_reservation(server, update, status):
    cs_id = new_station(server)

    async def scenario():
        async with recording_station(server, cs_id, "2.0.1", {"ReserveNow": {"status": "Accepted"}}) as station:
            body = {"reservationId": 9, "expiryDateTime": FAR, "idToken": "TAG-6", "idTokenType": "ISO14443"}
            await operate(server, cs_id, station, "reserve-now", body)
            return await station.send("ReservationStatusUpdate", {"reservationId": 9, "reservationUpdateStatus": update})

    assert run(scenario()) == {}
    found = reservation(server, cs_id, 9)
    assert (found["status"], found["idTokenType"]) == (status, "ISO14443")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_transaction_never_uses_another_stations_reservation(server, version):
    owner, other = new_station(server), new_station(server)

    async def scenario():
        async with recording_station(server, owner, version, {"ReserveNow": {"status": "Accepted"}}) as station:
            body = {"reservationId": 77, "expiryDateTime": FAR, "idToken": "TAG-7", "evseId": 1}
            await operate(server, owner, station, "reserve-now", body)
        async with recording_station(server, other, version) as station:
            return await start_with_reservation(station, version, "TAG-7", 77)

    assert run(scenario())  # answered, never a CALLERROR
    assert reservation(server, owner, 77)["status"] == "reserved"
    assert reservations(server, other) == []
    assert "reservation 77" in server.log()


def test_a_reserve_now_with_the_id_of_an_open_reservation_replaces_it(server):
    cs_id = new_station(server)

    async def scenario():
        async with recording_station(server, cs_id, "1.6", {"ReserveNow": {"status": "Accepted"}}) as station:
            for tag in ("TAG-8", "TAG-9"):
                await operate(server, cs_id, station, "reserve-now", {"reservationId": 5, "expiryDateTime": FAR, "idToken": tag})

    run(scenario())
    [only] = reservations(server, cs_id)
    assert (only["reservationId"], only["idToken"], only["status"]) == (5, "TAG-9", "reserved")
