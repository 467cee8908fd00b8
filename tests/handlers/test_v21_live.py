"""OCPP 2.1: a real `ocpp` 2.1 station is offered 2.1, runs a session on the 2.0.1 handlers, and gets commands."""
from __future__ import annotations

import asyncio

import pytest
import requests
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v21 import call

from tests.conftest import LiveServer, station_client
from tests.stations import wait_for_command

NOW = "2026-11-27T10:00:00Z"


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path)
    yield live
    live.stop()


def test_a_21_station_gets_21_and_its_session_is_stored(server):
    server.register("CS21")
    server.api("POST", "/token", json={"countryCode": "GB", "partyId": "TWK", "type": "RFID", "uid": "TAG21",
                                       "contractId": "GB-TWK-000000021", "issuer": "x", "valid": True, "cacheMode": "ALWAYS"})

    async def session():
        async with station_client(server.ws_url, "CS21", "ocpp2.1", charge_point_class=ChargePoint21) as station:
            boot = await station.call(call.BootNotification(charging_station={"model": "M21", "vendor_name": "ACME"}, reason="PowerUp"))
            authorize = await station.call(call.Authorize(id_token={"id_token": "TAG21", "type": "ISO14443"}))
            await station.call(call.StatusNotification(timestamp=NOW, connector_status="Occupied", evse_id=1, connector_id=1))
            events = []
            for seq_no, (event, energy) in enumerate((("Started", 100), ("Ended", 1100))):
                events.append(await station.call(call.TransactionEvent(
                    event_type=event, seq_no=seq_no, timestamp=NOW, transaction_info={"transaction_id": "t21"},
                    trigger_reason="Authorized" if seq_no == 0 else "StopAuthorized", evse={"id": 1, "connector_id": 1},
                    id_token={"id_token": "TAG21", "type": "ISO14443"},
                    meter_value=[{"timestamp": NOW, "sampled_value": [{"value": energy}]}],
                )))
            await station.call(call.Heartbeat())
            return boot, authorize, events

    boot, authorize, events = asyncio.run(session())
    assert boot.status == "Accepted" and authorize.id_token_info["status"] == "Accepted"
    assert events[1].total_cost == pytest.approx(0.55)
    station = server.api("GET", "/cs/CS21").json()
    assert (station["ocppVersion"], station["vendor"], station["connectors"][0]["status"]) == ("2.1", "ACME", "Occupied")
    [transaction] = server.api("GET", "/transactions?csId=CS21").json()
    assert (transaction["status"], transaction["energy"]) == ("ended", 1000.0)


def test_a_21_station_receives_typed_commands(server):
    server.register("CS21B")
    received = []

    class Station(ChargePoint21):
        async def _handle_call(self, msg):  # record, then let the package answer from the handlers below
            received.append((msg.action, msg.payload))
            return await super()._handle_call(msg)

    from ocpp.routing import on
    from ocpp.v21 import call_result

    class Answering(Station):
        @on("Reset")
        def on_reset(self, type, **_):
            return call_result.Reset(status="Accepted")

    async def session():
        async with station_client(server.ws_url, "CS21B", "ocpp2.1", charge_point_class=Answering) as station:
            await station.call(call.BootNotification(charging_station={"model": "M21", "vendor_name": "ACME"}, reason="PowerUp"))
            queued = await asyncio.to_thread(requests.post, f"{server.api_url}/cs/CS21B/reset", json={"type": "Hard"}, timeout=5)
            assert queued.status_code == 202, queued.text
            return await asyncio.to_thread(wait_for_command, server, "CS21B", lambda c: c["status"] == "completed")

    command = asyncio.run(session())
    assert received == [("Reset", {"type": "Immediate"})]
    assert command["response"] == {"status": "Accepted"}
