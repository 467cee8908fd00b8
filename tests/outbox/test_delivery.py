"""The outbox against a live server and real 1.6 / 2.0.1 stations: delivery, answers, retries, restarts."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json

import pytest
from ocpp.exceptions import NotSupportedError

from tests.conftest import LiveServer, STATION_PASSWORD, station_client
from tests.gateway.certs import issue
from sim.stations import SILENT
from tests.stations import recording_station, wait_for_command

FAST_RETRIES = {
    "CSMS_CALL_TIMEOUT": "2",
    "CSMS_COMMAND_RETRY_DELAY": "0.2",
    "CSMS_COMMAND_MAX_ATTEMPTS": "2",
}


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path, FAST_RETRIES)
    yield live
    live.stop()


def certificate_pem() -> str:
    return issue("Outbox Test Root", is_ca=True).pem().decode()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_trigger_reaches_a_connected_station_and_its_answer_completes_the_command(server, version):
    server.register("CS1")

    async def scenario():
        async with recording_station(server, "CS1", version) as station:
            assert server.api("POST", "/cs/CS1/trigger", json={"trigger": "StatusNotification"}).status_code == 200
            received = await station.next_call()
            return received, await asyncio.to_thread(wait_for_command, server, "CS1", lambda c: c["status"] == "completed")

    (action, payload), command = run(scenario())
    assert (action, payload) == ("TriggerMessage", {"requestedMessage": "StatusNotification"})
    assert command["action"] == "TriggerMessage" and command["response"] == {"status": "Accepted"}


def test_offline_station_gets_its_command_after_boot(server):
    server.register("CS2")
    assert server.api("POST", "/cs/CS2/reconfigure", json={"HeartbeatInterval": "60"}).status_code == 200

    async def scenario():
        async with recording_station(server, "CS2", "1.6") as station:
            received = await station.next_call()
            return received, await asyncio.to_thread(wait_for_command, server, "CS2", lambda c: c["status"] == "completed")

    received, command = run(scenario())
    assert received == ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"})
    assert command["response"] == {"results": {"HeartbeatInterval": "Accepted"}}


def test_station_reconnecting_without_boot_gets_commands_after_an_accepted_boot(server):
    server.register("CS3")

    async def scenario():
        async with recording_station(server, "CS3", "1.6"):
            pass
        server.api("POST", "/cs/CS3/trigger", json={"trigger": "BootNotification"})
        async with recording_station(server, "CS3", "1.6", boot=False) as station:
            return await station.next_call()

    assert run(scenario()) == ("TriggerMessage", {"requestedMessage": "BootNotification"})


def test_callerror_fails_the_command_with_the_error_stored(server):
    server.register("CS4")

    async def scenario():
        answers = {"TriggerMessage": NotSupportedError(description="no triggers here")}
        async with recording_station(server, "CS4", "1.6", answers) as station:
            server.api("POST", "/cs/CS4/trigger", json={"trigger": "StatusNotification"})
            await station.next_call()
            return await asyncio.to_thread(wait_for_command, server, "CS4", lambda c: c["status"] == "failed")

    command = run(scenario())
    assert command["response"]["error"]["code"] == "NotSupported"
    assert "no triggers here" in command["response"]["error"]["description"]


def test_unanswered_call_is_retried_then_failed(server):
    server.register("CS5")

    async def scenario():
        async with recording_station(server, "CS5", "1.6", {"TriggerMessage": SILENT}) as station:
            server.api("POST", "/cs/CS5/trigger", json={"trigger": "StatusNotification"})
            first = await station.next_call()
            second = await station.next_call(timeout=10)
            command = await asyncio.to_thread(wait_for_command, server, "CS5", lambda c: c["status"] == "failed", 20)
            return first, second, command

    first, second, command = run(scenario())
    assert first == second == ("TriggerMessage", {"requestedMessage": "StatusNotification"})
    assert command["response"]["error"]["code"] == "timeout"


def test_reboot_required_queues_a_reset_once_all_settings_are_answered(server):
    server.register("CS6")

    async def scenario():
        answers = {"ChangeConfiguration": lambda p: {"status": "RebootRequired" if p["key"] == "B" else "Accepted"}}
        async with recording_station(server, "CS6", "1.6", answers) as station:
            server.api("POST", "/cs/CS6/reconfigure", json={"A": "1", "B": "2"})
            return [await station.next_call() for _ in range(3)]

    calls = run(scenario())
    assert [action for action, _ in calls] == ["ChangeConfiguration", "ChangeConfiguration", "Reset"]
    assert calls[2][1] == {"type": "Soft"}


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_accepted_password_change_replaces_the_old_password(server, version):
    server.register("CS7")
    new_password = "a-new-password-1234"
    name = "AuthorizationKey" if version == "1.6" else "SecurityCtrlr/BasicAuthPassword"

    async def scenario():
        async with recording_station(server, "CS7", version) as station:
            server.api("POST", "/cs/CS7/reconfigure", json={name: new_password})
            received = await station.next_call()
            await asyncio.to_thread(wait_for_command, server, "CS7", lambda c: c["status"] == "completed")
            return received

    action, payload = run(scenario())
    if version == "1.6":
        assert payload == {"key": "AuthorizationKey", "value": new_password.encode().hex()}
    auth = server.api("GET", "/cs/CS7/auth").json()
    assert auth["base64SHA256Password"] == base64.b64encode(hashlib.sha256(new_password.encode()).digest()).decode()
    command = server.api("GET", "/cs/CS7/commands").json()[0]
    assert new_password not in json.dumps(command["request"])

    async def old_password_refused():
        with pytest.raises(Exception):
            async with station_client(server.ws_url, "CS7", f"ocpp{version}", password=STATION_PASSWORD):
                pass
        async with station_client(server.ws_url, "CS7", f"ocpp{version}", password=new_password):
            pass

    run(old_password_refused())


def test_16_certificate_install_falls_back_to_data_transfer(server):
    server.register("CS8")
    pem = certificate_pem()

    async def scenario():
        answers = {"InstallCertificate": NotSupportedError(description="no security whitepaper")}
        async with recording_station(server, "CS8", "1.6", answers) as station:
            body = {"certificates": [{"type": "CSMS", "certificate": pem}]}
            assert server.api("POST", "/cs/CS8/certificates", json=body).status_code == 200
            calls = [await station.next_call() for _ in range(2)]
            await asyncio.to_thread(wait_for_command, server, "CS8", lambda c: c["status"] == "completed")
            return calls

    (first, first_payload), (second, second_payload) = run(scenario())
    assert (first, first_payload["certificateType"]) == ("InstallCertificate", "CentralSystemRootCertificate")
    assert second == "DataTransfer" and second_payload["messageId"] == "InstallCertificate"
    assert json.loads(second_payload["data"]) == {"certificateType": "CSMSRootCertificate", "certificate": pem}


def test_commands_survive_a_restart_and_sent_ones_go_out_again(tmp_path):
    first = LiveServer.start(tmp_path, {**FAST_RETRIES, "CSMS_CALL_TIMEOUT": "30"})
    try:
        first.register("CS9")

        async def leave_unanswered():
            async with recording_station(first, "CS9", "1.6", {"TriggerMessage": SILENT}) as station:
                first.api("POST", "/cs/CS9/trigger", json={"trigger": "StatusNotification"})
                await station.next_call()
                first.api("POST", "/cs/CS9/trigger", json={"trigger": "BootNotification"})
                await asyncio.to_thread(wait_for_command, first, "CS9", lambda c: c["status"] == "sent")

        run(leave_unanswered())
    finally:
        first.stop()
    second = LiveServer.start(tmp_path, FAST_RETRIES)
    try:
        async def reconnect():
            async with recording_station(second, "CS9", "1.6") as station:
                calls = [await station.next_call() for _ in range(2)]
                await asyncio.to_thread(wait_for_command, second, "CS9", lambda c: c["id"] == 2 and c["status"] == "completed")
                return calls

        calls = run(reconnect())
        assert [payload["requestedMessage"] for _, payload in calls] == ["StatusNotification", "BootNotification"]
        assert {c["status"] for c in second.api("GET", "/cs/CS9/commands").json()} == {"completed"}
    finally:
        second.stop()


def test_no_second_command_while_the_first_is_outstanding(tmp_path):
    server = LiveServer.start(tmp_path, {"CSMS_CALL_TIMEOUT": "10"})
    server.register("CS10")
    server.api("POST", "/cs/CS10/trigger", json={"trigger": "StatusNotification"})
    server.api("POST", "/cs/CS10/trigger", json={"trigger": "BootNotification"})

    async def slow(payload):
        await asyncio.sleep(2)
        return {"status": "Accepted"}

    async def deliver():
        async with recording_station(server, "CS10", "1.6", {"TriggerMessage": slow}) as station:
            first = await station.next_call()
            statuses = sorted(c["status"] for c in server.api("GET", "/cs/CS10/commands").json())
            with pytest.raises(asyncio.TimeoutError):
                await station.next_call(timeout=1)
            second = await station.next_call(timeout=5)
            return first, statuses, second

    try:
        first, statuses, second = run(deliver())
    finally:
        server.stop()
    assert statuses == ["pending", "sent"]
    assert [first[1]["requestedMessage"], second[1]["requestedMessage"]] == ["StatusNotification", "BootNotification"]


@pytest.mark.parametrize(
    "version, path, body, action, expected",
    [
        ("1.6", "reset", {"type": "Hard"}, "Reset", {"type": "Hard"}),
        ("2.0.1", "unlock-connector", {"evseId": 1}, "UnlockConnector", {"evseId": 1, "connectorId": 1}),
        ("1.6", "get-configuration", {"keys": ["HeartbeatInterval"]}, "GetConfiguration", {"key": ["HeartbeatInterval"]}),
    ],
)
def test_typed_endpoint_reaches_the_station_and_the_result_is_readable(server, version, path, body, action, expected):
    server.register("CS11")

    async def scenario():
        async with recording_station(server, "CS11", version) as station:
            queued = server.api("POST", f"/cs/CS11/{path}", json=body)
            assert queued.status_code == 202, queued.text
            received = await station.next_call()
            done = await asyncio.to_thread(wait_for_command, server, "CS11", lambda c: c["status"] == "completed")
            return received, done, queued.json()["id"]

    received, done, command_id = run(scenario())
    assert received == (action, expected)
    assert done["id"] == command_id and done["action"] == action
    stored = server.api("GET", f"/cs/CS11/commands/{command_id}").json()
    if action == "GetConfiguration":
        assert stored["response"]["configurationKey"][0]["key"] == "HeartbeatInterval"
