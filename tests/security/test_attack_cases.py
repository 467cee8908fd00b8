"""Attacks of the 2026 CSMS advisories as end-to-end cases against a live server (docs/security.md maps every class
to its tests): a stolen station id cannot displace the real station, one station cannot end another's
transaction, and the management API and OCPI listen on localhost unless told otherwise."""
from __future__ import annotations

import asyncio

import pytest
import websockets
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from config import Config
from tests.conftest import LiveServer, station_client
from tests.stations import recording_station, wait_for_command

NOW = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer.start(tmp_path_factory.mktemp("attacks"), {"CSMS_AUTH_FAILURE_LIMIT": "1000"})
    yield live
    live.stop()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_stolen_id_with_wrong_credentials_cannot_displace_the_real_station(server, version):
    cs_id = f"VICTIM-{version}"
    server.register(cs_id)

    async def scenario():
        async with recording_station(server, cs_id, version) as real:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with station_client(server.ws_url, cs_id, f"ocpp{version}", password="guessed-password"):
                    pass
            server.api("POST", f"/cs/{cs_id}/trigger", json={"trigger": "StatusNotification"})
            received = await real.next_call()  # the command still reaches the real station, which answers it
            done = await asyncio.to_thread(wait_for_command, server, cs_id, lambda c: c["status"] == "completed")
            return refused.value.response.status_code, received, done

    status, (action, _), done = run(scenario())
    assert status == 401 and action == "TriggerMessage" and done["response"] == {"status": "Accepted"}


def test_a_16_station_cannot_end_another_stations_transaction(server):
    for cs_id in ("OWNER-16", "THIEF-16"):
        server.register(cs_id)

    async def scenario():
        async with station_client(server.ws_url, "OWNER-16", "ocpp1.6") as owner:
            started = await owner.call(call16.StartTransaction(connector_id=1, id_tag="T", meter_start=0, timestamp=NOW))
        async with station_client(server.ws_url, "THIEF-16", "ocpp1.6") as thief:
            await thief.call(call16.StopTransaction(meter_stop=9, timestamp=NOW, transaction_id=started.transaction_id))
        return str(started.transaction_id)

    transaction_id = run(scenario())
    owned = server.api("GET", f"/transactions/{transaction_id}", params={"csId": "OWNER-16"}).json()
    assert (owned["status"], owned["meterStop"]) == ("active", None)


def test_a_201_station_cannot_end_another_stations_transaction(server):
    for cs_id in ("OWNER-201", "THIEF-201"):
        server.register(cs_id)

    def event(event_type: str, seq_no: int) -> call201.TransactionEvent:
        return call201.TransactionEvent(event_type=event_type, timestamp=NOW, trigger_reason="Authorized", seq_no=seq_no,
                                        transaction_info={"transaction_id": "shared-tx"}, evse={"id": 1, "connector_id": 1})

    async def scenario():
        async with station_client(server.ws_url, "OWNER-201", "ocpp2.0.1") as owner:
            await owner.call(event("Started", 0))
        async with station_client(server.ws_url, "THIEF-201", "ocpp2.0.1") as thief:
            await thief.call(event("Ended", 1))

    run(scenario())
    owned = server.api("GET", "/transactions/shared-tx", params={"csId": "OWNER-201"}).json()
    assert owned["status"] == "active"
    theirs = server.api("GET", "/transactions", params={"csId": "THIEF-201"}).json()
    assert [t["status"] for t in theirs] == ["ended"]  # its own row, nothing of the owner's


def test_the_management_api_and_ocpi_listen_on_localhost_by_default(tmp_path):
    assert (Config().api_host, Config().ocpi_host) == ("127.0.0.1", "127.0.0.1")
    live = LiveServer.start(tmp_path)
    try:
        assert live.urls["api"].startswith("http://127.0.0.1:")
    finally:
        live.stop()
