"""Partner commands other than the charge itself, on both OCPP versions: UNLOCK_CONNECTOR, RESERVE_NOW and
CANCEL_RESERVATION through the outbox with their CommandResults; what is answered at once (unknown location, session
or reservation, an offline station); and TIMEOUT for a station that never answers."""
from __future__ import annotations

import asyncio

import pytest

from sim.stations import SILENT
from tests.conftest import LiveServer
from tests.ocpi.conftest import (
    OCPI_ENV, add_location, command, evse_uid, is_push, module_url, new_station, register, result_of, versions_url,
)  # fmt: skip
from tests.ocpi.emsp import Emsp
from tests.ocpi.ocpi_objects import COMMAND_RESPONSE, COMMAND_RESULT, check, data
from tests.ocpi.stations import ACCEPTING, off_loop
from tests.stations import api_read, recording_station

VERSIONS = ["1.6", "2.0.1"]
FAR = "2099-01-01T00:00:00Z"


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


@pytest.mark.parametrize("version", VERSIONS)
def test_unlock_reserve_and_cancel_reach_the_station_and_report_back(server, emsp, version):
    cs_id = new_station(server)
    location_id = add_location(server, [cs_id])
    uid = evse_uid(cs_id)

    async def scenario() -> None:
        async with recording_station(server, cs_id, version, ACCEPTING) as station:
            unlocked = await command(server, emsp, "UNLOCK_CONNECTOR", {"location_id": location_id, "evse_uid": uid, "connector_id": "1"})
            action, request = await station.next_call()
            assert action == "UnlockConnector" and request.get("connectorId", request.get("evseId")) == 1
            assert await result_of(emsp, unlocked) == "ACCEPTED"
            reserve = {"token": emsp.token(f"RES-{cs_id}"), "expiry_date": FAR, "reservation_id": "R-1",
                       "location_id": location_id, "evse_uid": uid}  # fmt: skip
            reserved = await command(server, emsp, "RESERVE_NOW", reserve)
            action, request = await station.next_call()
            assert action == "ReserveNow"
            assert await result_of(emsp, reserved) == "ACCEPTED"
            [reservation] = await off_loop(api_read, server, f"/cs/{cs_id}/reservations")
            assert reservation["status"] == "reserved"
            cancelled = await command(server, emsp, "CANCEL_RESERVATION", {"reservation_id": "R-1"})
            action, cancel = await station.next_call()
            assert action == "CancelReservation" and cancel["reservationId"] == request.get("reservationId", request.get("id"))
            assert await result_of(emsp, cancelled) == "CANCELED_RESERVATION"

    run(scenario())


def test_what_is_answered_without_a_station(server, emsp):
    cs_id = new_station(server)
    location_id = add_location(server, [cs_id])
    url = module_url(server, "commands/START_SESSION")
    start = {"response_url": emsp.response_url(), "token": emsp.token("T-OFF"), "location_id": location_id}
    offline = data(emsp.cpo("POST", url, json=start), COMMAND_RESPONSE)
    assert offline["result"] == "REJECTED" and offline["message"][0]["text"]
    unknown = emsp.cpo("POST", url, json=start | {"location_id": "NOWHERE"})
    assert unknown.json()["status_code"] == 2003
    stop = {"response_url": emsp.response_url(), "session_id": "999999"}
    assert data(emsp.cpo("POST", module_url(server, "commands/STOP_SESSION"), json=stop))["result"] == "UNKNOWN_SESSION"
    missing = emsp.cpo("POST", url, json={"location_id": location_id})
    assert missing.json()["status_code"] == 2001 and "response_url" in missing.json()["status_message"]
    cancel = {"response_url": emsp.response_url(), "reservation_id": "NEVER-MADE"}
    assert data(emsp.cpo("POST", module_url(server, "commands/CANCEL_RESERVATION"), json=cancel))["result"] == "ACCEPTED"
    posted = emsp.wait_for(is_push("POST", cancel["response_url"].removeprefix(emsp.base)))[0]
    assert check(COMMAND_RESULT, posted.body)["result"] == "UNKNOWN_RESERVATION"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_station_that_never_answers_gives_timeout(tmp_path, version):
    live = LiveServer.start(tmp_path, OCPI_ENV | {"CSMS_OCPI_COMMAND_TIMEOUT": "2", "CSMS_CALL_TIMEOUT": "30"})
    party = Emsp()
    try:
        register(live, "token-a-timeout")
        assert party.register_with(versions_url(live), "token-a-timeout").json()["status_code"] == 1000
        cs_id = new_station(live)
        location_id = add_location(live, [cs_id])

        async def scenario() -> None:
            answers = {"UnlockConnector": SILENT}
            async with recording_station(live, cs_id, version, answers) as station:
                body = {"location_id": location_id, "evse_uid": evse_uid(cs_id), "connector_id": "1"}
                unlocked = await command(live, party, "UNLOCK_CONNECTOR", body)
                assert (await station.next_call())[0] == "UnlockConnector"
                assert await result_of(party, unlocked) == "TIMEOUT"

        run(scenario())
    finally:
        party.stop()
        live.stop()
