"""OCTT 2.0.1 cases B (boot), A_01–A_03 (Basic auth) and C (authorization) that only need the CSMS to answer."""
from __future__ import annotations

import asyncio

import pytest
import websockets

from tests.conftest import STATION_PASSWORD, basic_auth, station_client
from ocpp201_support import Transaction, add_token, id_token, new_station, run, server, status  # noqa: F401 (server: fixture)

MASTER_PASS_GROUP = "MASTERPASS"


def test_TC_B_01_cold_boot(server):
    cs_id = new_station(server)

    async def scenario(station):
        answers = [await station.send("StatusNotification", status("Available", 1, connector)) for connector in (1, 2)]
        return answers, await station.send("Heartbeat", {})

    answers, heartbeat = run(server, cs_id, scenario)
    assert answers == [{}, {}] and heartbeat["currentTime"]
    detail = server.api("GET", f"/cs/{cs_id}").json()
    assert (detail["bootStatus"], detail["ocppVersion"], detail["model"]) == ("Accepted", "2.0.1", "Conformance-201")
    assert [(c["evseId"], c["connectorId"], c["status"]) for c in detail["connectors"]] == [
        (1, 1, "Available"), (1, 2, "Available")
    ]


def test_TC_A_01_basic_auth_valid(server):
    cs_id = new_station(server)
    assert run(server, cs_id, lambda station: station.send("Heartbeat", {}))["currentTime"]


@pytest.mark.parametrize(
    "case, user, password",
    [("TC_A_02_username_not_station_id", "someone-else", None), ("TC_A_03_wrong_password", None, "wrong-password")],
    ids=["TC_A_02", "TC_A_03"],
)
def test_TC_A_02_A_03_bad_basic_auth_is_refused(server, case, user, password):
    cs_id = new_station(server)

    async def connect() -> None:
        if user is None:
            async with station_client(server.ws_url, cs_id, "ocpp2.0.1", password=password):
                pass
            return
        headers = basic_auth(user, STATION_PASSWORD)
        async with websockets.connect(f"{server.ws_url}/{cs_id}", subprotocols=["ocpp2.0.1"], additional_headers=headers):
            pass

    with pytest.raises(websockets.InvalidStatus) as refused:
        asyncio.run(connect())
    assert refused.value.response.status_code == 401


@pytest.mark.parametrize(
    "case, token, expected",
    [
        ("TC_C_02_local_start_invalid", None, {"Invalid", "Unknown"}),
        ("TC_C_06_local_start_blocked", "blocked", {"Blocked"}),
    ],
    ids=["TC_C_02", "TC_C_06"],
)
def test_TC_C_02_C_06_local_start_refused(server, case, token, expected):
    cs_id = new_station(server)
    uid = f"{cs_id}-TAG"
    if token == "blocked":
        add_token(server, uid, valid=False)
    answer = run(server, cs_id, lambda station: station.send("Authorize", {"idToken": id_token(uid)}))
    assert answer["idTokenInfo"]["status"] in expected
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []


def test_TC_C_07_local_start_expired(server):
    cs_id = new_station(server)
    uid = f"{cs_id}-TAG"
    add_token(server, uid, expiryDate="2021-06-01T12:00:00Z")

    async def scenario(station):
        authorized = await station.send("Authorize", {"idToken": id_token(uid)})
        started = await station.send("TransactionEvent", {
            "eventType": "Started", "timestamp": "2026-01-01T00:00:00Z", "triggerReason": "Authorized", "seqNo": 0,
            "transactionInfo": {"transactionId": f"{cs_id}-tx"}, "idToken": id_token(uid), "evse": {"id": 1, "connectorId": 1},
        })
        return authorized, started

    authorized, started = run(server, cs_id, scenario)
    expected = {"status": "Expired", "cacheExpiryDateTime": "2021-06-01T12:00:00.000Z"}
    assert authorized["idTokenInfo"] == expected and started["idTokenInfo"] == expected


def test_TC_C_39_group_id_success(server):
    cs_id = new_station(server)
    first, second = f"{cs_id}-A", f"{cs_id}-B"
    for uid in (first, second):
        add_token(server, uid, groupId=f"{cs_id}-GROUP")
    tx = Transaction(f"{cs_id}-TX")

    async def scenario(station):
        start = await station.send("Authorize", {"idToken": id_token(first)})
        await station.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token(first)))
        stop = await station.send("Authorize", {"idToken": id_token(second)})
        ended = await station.send(
            "TransactionEvent",
            tx.event("Ended", "StopAuthorized", idToken=id_token(second), info={"stoppedReason": "Local"}),
        )
        return start, stop, ended

    start, stop, ended = run(server, cs_id, scenario)
    group = {"idToken": f"{cs_id}-GROUP", "type": "Central"}
    assert start["idTokenInfo"] == stop["idTokenInfo"] == ended["idTokenInfo"] == {"status": "Accepted", "groupIdToken": group}


@pytest.mark.parametrize(
    "case", ["TC_C_47_master_pass_ui_all", "TC_C_48_master_pass_ui_specific", "TC_C_49_master_pass_no_ui"]
)
def test_TC_C_47_C_48_C_49_master_pass_stops_transactions(server, case):
    cs_id = new_station(server)
    owner, master = f"{cs_id}-OWNER", f"{cs_id}-MASTER"
    add_token(server, owner)
    add_token(server, master, groupId=MASTER_PASS_GROUP)
    transactions = [Transaction(f"{cs_id}-TX{evse}", evse) for evse in (1, 2)]

    async def scenario(station):
        for tx in transactions:
            await station.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token(owner)))
        authorized = await station.send("Authorize", {"idToken": id_token(master)})
        stopped = [
            await station.send(
                "TransactionEvent",
                tx.event("Ended", "StopAuthorized", idToken=id_token(master), info={"stoppedReason": "MasterPass"}),
            )
            for tx in (transactions if case != "TC_C_48_master_pass_ui_specific" else transactions[:1])
        ]
        return authorized, stopped

    authorized, stopped = run(server, cs_id, scenario)
    assert authorized["idTokenInfo"]["groupIdToken"]["idToken"] == MASTER_PASS_GROUP
    assert all(answer["idTokenInfo"]["status"] == "Accepted" for answer in stopped)
    stored = server.api("GET", f"/transactions/{cs_id}-TX1", params={"csId": cs_id}).json()
    assert (stored["status"], stored["stopReason"]) == ("ended", "MasterPass")


@pytest.mark.parametrize(
    "case, known, expected",
    [("TC_C_08_cache_accepted", True, {"Accepted"}), ("TC_C_20_cache_invalid", False, {"Invalid", "Unknown"})],
    ids=["TC_C_08", "TC_C_20"],
)
def test_TC_C_08_C_20_authorization_via_cache(server, case, known, expected):
    cs_id = new_station(server)
    uid = f"{cs_id}-CACHED"
    if known:
        add_token(server, uid)
    tx = Transaction(f"{cs_id}-TX")

    async def scenario(station):
        await station.send("StatusNotification", status("Occupied"))
        started = await station.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token(uid)))
        if started["idTokenInfo"]["status"] != "Accepted":
            await station.send("TransactionEvent", tx.event("Ended", "Deauthorized", info={"stoppedReason": "DeAuthorized"}))
        return started

    assert run(server, cs_id, scenario)["idTokenInfo"]["status"] in expected
    stored = server.api("GET", f"/transactions/{cs_id}-TX", params={"csId": cs_id}).json()
    assert stored["status"] == ("active" if known else "ended")
