"""Tokens receiver into the token store OCPP Authorize uses (valid and whitelist honoured), and real-time authorization
at the eMSP for tokens unknown here or whitelisted NEVER, with a short timeout that only the asking station waits for."""
from __future__ import annotations

import asyncio
import time

import pytest

from tests.ocpi.conftest import add_location, module_url, new_station
from tests.ocpi.emsp import envelope
from tests.ocpi.ocpi_objects import TOKEN, check, data
from tests.ocpi.stations import off_loop
from tests.stations import api_read, recording_station

VERSIONS = ["1.6", "2.0.1"]


async def authorize(station, version: str, uid: str) -> str:
    if version == "1.6":
        return (await station.send("Authorize", {"idTag": uid}))["idTagInfo"]["status"]
    answer = await station.send("Authorize", {"idToken": {"idToken": uid, "type": "ISO14443"}})
    return answer["idTokenInfo"]["status"]


def statuses(server, version: str, uids: list[str]) -> list[str]:
    cs_id = new_station(server)
    add_location(server, [cs_id])

    async def scenario() -> list[str]:
        async with recording_station(server, cs_id, version) as station:
            return [await authorize(station, version, uid) for uid in uids]

    return asyncio.run(asyncio.wait_for(scenario(), 60))


def token_url(server, emsp, uid: str) -> str:
    return module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/{uid}")


@pytest.mark.parametrize("version", VERSIONS)
def test_pushed_tokens_authorize_stations_as_valid_says(server, emsp, version):
    good, blocked = f"GOOD-{version}", f"BLOCKED-{version}"
    for uid in (good, blocked):
        assert emsp.cpo("PUT", token_url(server, emsp, uid), json=emsp.token(uid, whitelist="ALWAYS")).status_code == 201
    assert emsp.cpo("PUT", token_url(server, emsp, good), json=emsp.token(good, whitelist="ALWAYS")).status_code == 200
    patched = emsp.cpo("PATCH", token_url(server, emsp, blocked), json={"valid": False, "last_updated": "2030-01-01T00:00:00Z"})
    data(patched)
    assert data(emsp.cpo("GET", token_url(server, emsp, blocked)), TOKEN)["valid"] is False
    assert statuses(server, version, [good, blocked]) == ["Accepted", "Blocked"]


def test_a_patch_without_last_updated_or_for_an_unknown_token_is_refused(server, emsp):
    uid = "PATCHED"
    emsp.cpo("PUT", token_url(server, emsp, uid), json=emsp.token(uid))
    assert emsp.cpo("PATCH", token_url(server, emsp, uid), json={"valid": False}).json()["status_code"] == 2001
    unknown = emsp.cpo("PATCH", token_url(server, emsp, "NOPE"), json={"valid": False, "last_updated": "2030-01-01T00:00:00Z"})
    assert unknown.status_code == 404 and unknown.json()["status_code"] == 2004
    wrong_type = emsp.cpo("GET", token_url(server, emsp, uid), params={"type": "APP_USER"})
    assert wrong_type.status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_tokens_are_asked_of_the_emsp_in_real_time_and_kept(server, emsp, version):
    asked: list[tuple[str, dict]] = []

    def answer(uid: str, body: dict) -> tuple[int, dict]:
        asked.append((uid, body))
        allowed = "ALLOWED" if uid.startswith("RT-OK") else "BLOCKED"
        return 200, envelope({"allowed": allowed, "token": emsp.token(uid, whitelist="ALLOWED")})

    emsp.authorize = answer
    ok, refused = f"RT-OK-{version}", f"RT-NO-{version}"
    assert statuses(server, version, [ok, refused]) == ["Accepted", "Blocked"]
    assert [uid for uid, _ in asked] == [ok, refused]
    assert asked[0][1]["location_id"].startswith("LOC") and asked[0][1]["evse_uids"]
    assert api_read(server, f"/token/{ok}")["valid"] is True  # the answer is kept as a token: ALLOWED is local now
    assert statuses(server, version, [ok]) == ["Accepted"] and len(asked) == 2
    check(TOKEN, data(emsp.cpo("GET", token_url(server, emsp, ok))))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_slow_emsp_costs_the_station_at_most_the_timeout(server, emsp, version):
    def slow(uid: str, body: dict) -> tuple[int, dict]:
        time.sleep(6)
        return 200, envelope({"allowed": "ALLOWED", "token": emsp.token(uid)})

    emsp.authorize = slow
    started = time.monotonic()
    [status] = statuses(server, version, [f"SLOW-{version}"])
    assert status in ("Invalid", "Unknown")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("version", VERSIONS)
def test_a_never_whitelisted_token_is_refused_while_its_emsp_is_offline(server, emsp, version):
    uid = f"NEVER-{version}"
    assert emsp.cpo("PUT", token_url(server, emsp, uid), json=emsp.token(uid, whitelist="NEVER")).status_code == 201
    emsp.authorize = lambda uid, body: (200, envelope({"allowed": "ALLOWED", "token": emsp.token(uid, whitelist="NEVER")}))
    assert statuses(server, version, [uid]) == ["Accepted"]
    emsp.go_offline()
    try:
        assert statuses(server, version, [uid]) == ["Invalid"]
    finally:
        emsp.go_online()


def test_the_station_keeps_working_while_the_emsp_thinks(server, emsp):
    emsp.authorize = lambda uid, body: (time.sleep(1.5), (200, envelope({"allowed": "ALLOWED", "token": emsp.token(uid)})))[1]
    cs_id = new_station(server)
    add_location(server, [cs_id])

    async def scenario() -> None:
        async with recording_station(server, cs_id, "1.6") as station:
            waiting = asyncio.create_task(authorize(station, "1.6", "THINKING"))
            reply = await off_loop(api_read, server, f"/cs/{cs_id}")  # the API and the hub answer meanwhile
            assert reply["connected"] is True and not waiting.done()
            assert await waiting == "Accepted"

    asyncio.run(asyncio.wait_for(scenario(), 30))
