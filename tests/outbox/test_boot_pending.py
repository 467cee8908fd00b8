"""BootNotification Pending while provisioning commands wait (CSMS_BOOT_PENDING_WHILE_PROVISIONING): only those go."""
from __future__ import annotations

import asyncio

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from tests.conftest import LiveServer
from tests.stations import recording_station, wait_for_command

PENDING_ON = {"CSMS_BOOT_PENDING_WHILE_PROVISIONING": "on", "CSMS_BOOT_PENDING_INTERVAL": "3", "CSMS_CALL_TIMEOUT": "5"}
PROVISIONING_CALL = {"1.6": "ChangeConfiguration", "2.0.1": "SetVariables"}
HEARTBEAT_SETTING = {"1.6": "HeartbeatInterval", "2.0.1": "OCPPCommCtrlr/HeartbeatInterval"}


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path, PENDING_ON)
    yield live
    live.stop()


async def boot(station, version: str):
    if version == "1.6":
        return await station.call(call16.BootNotification(charge_point_model="M1", charge_point_vendor="ACME"))
    request = call201.BootNotification(charging_station={"model": "M2", "vendor_name": "ACME"}, reason="PowerUp")
    return await station.call(request)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_pending_until_the_provisioning_commands_are_done(server: LiveServer, version):
    server.register("P1")
    assert server.api("POST", "/cs/P1/reconfigure", json={HEARTBEAT_SETTING[version]: "60"}).status_code == 200
    assert server.api("POST", "/cs/P1/trigger", json={"trigger": "StatusNotification"}).status_code == 200

    async def scenario():
        async with recording_station(server, "P1", version, boot=False) as station:
            first = await boot(station, version)
            boot_status = (await asyncio.to_thread(server.api, "GET", "/cs/P1")).json()["bootStatus"]
            provisioning = await station.next_call()
            await asyncio.to_thread(
                wait_for_command, server, "P1", lambda c: c["action"] == provisioning[0] and c["status"] == "completed"
            )
            with pytest.raises(asyncio.TimeoutError):  # the trigger is no provisioning: it waits for Accepted
                await station.next_call(timeout=1.5)
            second = await boot(station, version)
            return first, boot_status, provisioning[0], second, await station.next_call()

    first, boot_status, provisioning, second, after = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert (first.status, first.interval, boot_status) == ("Pending", 3, "Pending")
    assert provisioning == PROVISIONING_CALL[version]
    assert (second.status, second.interval) == ("Accepted", 300)
    assert after[0] == "TriggerMessage"
    assert server.api("GET", "/cs/P1").json()["bootStatus"] == "Accepted"


def test_nothing_waiting_is_accepted_at_once(server: LiveServer):
    server.register("P2")

    async def scenario():
        async with recording_station(server, "P2", "2.0.1", boot=False) as station:
            return await boot(station, "2.0.1")

    assert asyncio.run(asyncio.wait_for(scenario(), 30)).status == "Accepted"
