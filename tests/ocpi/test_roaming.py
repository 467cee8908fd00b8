"""The whole roaming story on both OCPP versions, through standard OCPI calls only: a connected eMSP sees the location
and its live status, pushes its token, starts a charge with START_SESSION, receives the session and its updates, stops
it with STOP_SESSION and receives the completed session and the CDR; every object checked against OCPI 2.2.1."""
from __future__ import annotations

import asyncio

import pytest

from tests.ocpi import stations
from tests.ocpi.conftest import add_location, command, evse_uid, get, is_push, module_url, new_station, result_of
from tests.ocpi.ocpi_objects import (
    CDR, EVSE_PATCH, LOCATION, SESSION, TARIFF, TOKEN, check, data,
)  # fmt: skip
from tests.ocpi.stations import ACCEPTING, off_loop
from tests.stations import recording_station

VERSIONS = ["1.6", "2.0.1"]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 90))


async def wait_status(emsp, location_id: str, uid: str, status: str) -> None:
    path = f"/locations/GB/TWK/{location_id}/{uid}"
    patches = await off_loop(emsp.wait_for, lambda item: item.method == "PATCH" and item.path.endswith(path) and item.body["status"] == status)
    check(EVSE_PATCH, patches[0].body)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_roaming_partner_charges_with_start_and_stop_session(server, emsp, version):
    cs_id = new_station(server)
    location_id = add_location(server, [cs_id])
    uid = evse_uid(cs_id)
    check(LOCATION, emsp.wait_for(is_push("PUT", f"/locations/GB/TWK/{location_id}"))[0].body)
    token = emsp.token(f"TAG-{cs_id}")
    assert emsp.cpo("PUT", module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/{token['uid']}"), json=token).status_code == 201

    async def charge() -> str:
        async with recording_station(server, cs_id, version, ACCEPTING) as station:
            await stations.report_status(station, version, "Available")
            await wait_status(emsp, location_id, uid, "AVAILABLE")
            start = {"token": token, "location_id": location_id, "evse_uid": uid, "connector_id": "1"}
            started = await command(server, emsp, "START_SESSION", start)
            action, request = await station.next_call()
            assert action in ("RemoteStartTransaction", "RequestStartTransaction")
            assert await result_of(emsp, started) == "ACCEPTED"
            transaction_id = await stations.start(station, version, token["uid"], request if version != "1.6" else None, 1000)
            await stations.report_status(station, version, "Charging")
            await wait_status(emsp, location_id, uid, "CHARGING")
            session = check(SESSION, (await off_loop(emsp.wait_for, is_push("PUT", "/sessions/GB/TWK/")))[0].body)
            assert (session["status"], session["auth_method"], session["cdr_token"]["uid"]) == ("ACTIVE", "COMMAND", token["uid"])
            assert (session["location_id"], session["evse_uid"], session["connector_id"]) == (location_id, uid, "1")
            await stations.meter(station, version, transaction_id, 5000)
            patch = await off_loop(emsp.wait_for, lambda item: item.method == "PATCH" and f"/sessions/GB/TWK/{session['id']}" in item.path)
            assert patch[0].body["kwh"] == 4.0
            stopped = await command(server, emsp, "STOP_SESSION", {"session_id": session["id"]})
            action, request = await station.next_call()
            assert action in ("RemoteStopTransaction", "RequestStopTransaction")
            assert str(request["transactionId"]) == transaction_id
            assert await result_of(emsp, stopped) == "ACCEPTED"
            await stations.stop(station, version, transaction_id, 8000)
            return session["id"]

    session_id = run(charge())
    completed = emsp.wait_for(lambda item: item.method == "PUT" and item.path.endswith(f"/sessions/GB/TWK/{session_id}") and item.body["status"] == "COMPLETED")
    check(SESSION, completed[0].body)
    cdr = check(CDR, emsp.wait_for(is_push("POST", "/cdrs"))[0].body)
    assert (cdr["session_id"], cdr["total_energy"], cdr["cdr_location"]["evse_uid"]) == (session_id, 7.0, uid)
    assert cdr["total_cost"]["excl_vat"] == round(7.0 * 0.55, 2)
    sessions = data(get(emsp, module_url(server, "sessions"), date_from="2020-01-01T00:00:00Z"))
    assert session_id in [check(SESSION, item)["id"] for item in sessions]
    cdrs = data(get(emsp, module_url(server, "cdrs")))
    assert session_id in [check(CDR, item)["id"] for item in cdrs]
    assert data(get(emsp, module_url(server, "cdrs"), date_from="2999-01-01T00:00:00Z")) == []
    token_read = data(get(emsp, module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/{token['uid']}")), TOKEN)
    assert token_read["uid"] == token["uid"]
    [tariff] = data(get(emsp, module_url(server, "tariffs")))
    assert check(TARIFF, tariff)["elements"][0]["price_components"][0]["price"] == 0.55
