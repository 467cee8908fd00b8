"""Local authorisation lists with real 1.6 and 2.0.1 stations: built from the token store when they go out, Full
and Differential against what the station acknowledged, version mismatches, GetLocalListVersion compared."""
from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.stations import api_read, operate, recording_station, wait_for_command

VERSIONS = ["1.6", "2.0.1"]
_contracts = itertools.count(1)


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path)  # its own token store: "all tokens" means the test's tokens
    yield live
    live.stop()


def run(coroutine: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def add_token(server: LiveServer, uid: str, valid: bool = True, **extra: Any) -> None:
    body = {"countryCode": "NL", "partyId": "TST", "type": "RFID", "uid": uid, "contractId": f"NL-TST-L{next(_contracts):08d}",
            "issuer": "tests", "valid": valid, "cacheMode": "ALWAYS"} | extra
    assert server.api("POST", "/token", json=body).status_code == 201


def local_list(server: LiveServer, cs_id: str) -> dict[str, Any]:
    return api_read(server, f"/cs/{cs_id}/local-list")


def held(server: LiveServer, cs_id: str) -> dict[str, tuple[str, str | None]]:
    """uid → (status, groupId) of the list the CSMS says the station holds."""
    return {entry["idToken"]: (entry["status"], entry["groupId"]) for entry in local_list(server, cs_id)["entries"]}


def entry(version: str, uid: str, status: str | None = None, group: str | None = None) -> dict[str, Any]:
    """A list entry as each version spells it; without a status it removes the uid."""
    if version == "1.6":
        info = {"status": status, **({"parentIdTag": group} if group else {})}
        return {"idTag": uid, **({"idTagInfo": info} if status else {})}
    info = {"status": status, **({"groupIdToken": {"idToken": group, "type": "Central"}} if group else {})}
    return {"idToken": {"idToken": uid, "type": "ISO14443"}, **({"idTokenInfo": info} if status else {})}


def update(version: str, number: int, update_type: str, entries: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    version_field = "listVersion" if version == "1.6" else "versionNumber"
    payload = {version_field: number, "updateType": update_type}
    return "SendLocalList", payload | ({"localAuthorizationList": entries} if entries else {})


@pytest.mark.parametrize("version", VERSIONS)
def test_full_then_differential_sends_what_was_added_changed_and_removed(server, version):
    server.register("LL1")
    add_token(server, "AAA", groupId="FLEET")
    add_token(server, "BBB")

    async def scenario():
        async with recording_station(server, "LL1", version, {"SendLocalList": {"status": "Accepted"}}) as station:
            full = await operate(server, "LL1", station, "send-local-list", {"updateType": "Full"})
            after_full = await asyncio.to_thread(local_list, server, "LL1")
            # An operator's own SendLocalList through /call counts too: GONE is on the station, not in the store.
            extra = update(version, 2, "Differential", [entry(version, "GONE", "Accepted")])[1]
            await operate(server, "LL1", station, "call", {"action": "SendLocalList", "payload": extra})
            await asyncio.to_thread(add_token, server, "BBB", False)  # changed: now blocked
            await asyncio.to_thread(add_token, server, "CCC")  # added
            return full, after_full, await operate(server, "LL1", station, "send-local-list", {"updateType": "Differential"})

    (full, full_command), after_full, (differential, command) = run(scenario())
    assert full == update(version, 1, "Full", [entry(version, "AAA", "Accepted", "FLEET"), entry(version, "BBB", "Accepted")])
    assert full_command["response"] == {"status": "Accepted"}
    assert (after_full["version"], after_full["inSync"]) == (1, None)
    assert differential == update(version, 3, "Differential", [
        entry(version, "BBB", "Blocked"), entry(version, "CCC", "Accepted"), entry(version, "GONE")])
    assert command["status"] == "completed"
    assert local_list(server, "LL1")["version"] == 3
    assert held(server, "LL1") == {"AAA": ("Accepted", "FLEET"), "BBB": ("Blocked", None), "CCC": ("Accepted", None)}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_version_mismatch_makes_the_next_differential_a_full_list(server, version):
    server.register("LL2")
    add_token(server, "AAA")
    answers = iter(["Accepted", "VersionMismatch", "Accepted"])

    async def scenario():
        async with recording_station(server, "LL2", version, {"SendLocalList": lambda _: {"status": next(answers)}}) as station:
            await operate(server, "LL2", station, "send-local-list", {"updateType": "Full", "listVersion": 4})
            mismatch = await operate(server, "LL2", station, "send-local-list", {"updateType": "Differential"})
            unknown = await asyncio.to_thread(local_list, server, "LL2")
            return mismatch, unknown, await operate(server, "LL2", station, "send-local-list", {"updateType": "Differential"})

    (sent, mismatch), unknown, (resent, command) = run(scenario())
    assert sent == update(version, 5, "Differential", [])  # nothing changed since the Full list
    assert mismatch["response"] == {"status": "VersionMismatch"}
    assert (unknown["version"], unknown["inSync"]) == (None, None)
    assert resent == update(version, 1, "Full", [entry(version, "AAA", "Accepted")])
    assert command["params"]["updateType"] == "Differential" and command["request"]["updateType"] == "Full"
    assert local_list(server, "LL2")["version"] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_get_local_list_version_is_compared_with_the_acknowledged_version(server, version):
    server.register("LL3")
    add_token(server, "AAA")
    reported = iter([3, 7])
    field = "listVersion" if version == "1.6" else "versionNumber"
    answers = {"SendLocalList": {"status": "Accepted"}, "GetLocalListVersion": lambda _: {field: next(reported)}}

    async def scenario():
        async with recording_station(server, "LL3", version, answers) as station:
            await operate(server, "LL3", station, "send-local-list", {"updateType": "Full", "listVersion": 3})
            await operate(server, "LL3", station, "get-local-list-version", {})
            in_sync = await asyncio.to_thread(local_list, server, "LL3")
            await operate(server, "LL3", station, "get-local-list-version", {})
            out_of_sync = await asyncio.to_thread(local_list, server, "LL3")
            return in_sync, out_of_sync, await operate(server, "LL3", station, "send-local-list", {"updateType": "Differential"})

    in_sync, out_of_sync, (resent, _) = run(scenario())
    assert (in_sync["version"], in_sync["reportedVersion"], in_sync["inSync"]) == (3, 3, True)
    assert in_sync["reportedAt"]
    assert (out_of_sync["version"], out_of_sync["reportedVersion"], out_of_sync["inSync"]) == (3, 7, False)
    assert resent == update(version, 8, "Full", [entry(version, "AAA", "Accepted")])


@pytest.mark.parametrize("version, answer", [("1.6", "Failed"), ("1.6", "NotSupported"), ("2.0.1", "Failed")])
def test_a_list_the_station_did_not_take_changes_nothing(server, version, answer):
    server.register("LL4")
    add_token(server, "AAA")
    answers = iter(["Accepted", answer])

    async def scenario():
        async with recording_station(server, "LL4", version, {"SendLocalList": lambda _: {"status": next(answers)}}) as station:
            await operate(server, "LL4", station, "send-local-list", {"updateType": "Full"})
            await asyncio.to_thread(add_token, server, "BBB")
            return await operate(server, "LL4", station, "send-local-list", {"updateType": "Full"})

    (received, command) = run(scenario())
    assert received == update(version, 2, "Full", [entry(version, "AAA", "Accepted"), entry(version, "BBB", "Accepted")])
    assert command["response"] == {"status": answer}
    assert (local_list(server, "LL4")["version"], held(server, "LL4")) == (1, {"AAA": ("Accepted", None)})


def test_lists_queued_while_offline_are_built_when_they_go_out(server):
    server.register("LL5")
    add_token(server, "AAA")

    async def scenario():
        async with recording_station(server, "LL5", "1.6"):
            pass  # the station's version becomes known; it goes offline
        first = server.api("POST", "/cs/LL5/send-local-list", json={"updateType": "Differential"})
        second = server.api("POST", "/cs/LL5/send-local-list", json={"updateType": "Differential"})
        assert (first.status_code, second.status_code) == (202, 202)
        add_token(server, "BBB")  # after both were queued
        async with recording_station(server, "LL5", "1.6", {"SendLocalList": {"status": "Accepted"}}) as station:
            calls = [await station.next_call(), await station.next_call()]
            await asyncio.to_thread(wait_for_command, server, "LL5", lambda c: c["id"] == second.json()["id"] and c["status"] == "completed")
            return calls

    first, second = run(scenario())
    assert first == update("1.6", 1, "Full", [entry("1.6", "AAA", "Accepted"), entry("1.6", "BBB", "Accepted")])
    assert second == update("1.6", 2, "Differential", [])
    assert local_list(server, "LL5")["version"] == 2
