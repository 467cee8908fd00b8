"""OCTT 2.0.1 cases A, B, C_37/38 and F_20/27 in which the CSMS sends the call: passwords, variables, network
profiles, resets, the authorization cache and triggers, each queued through the management API.

OCTT's step lists are not public: each scenario is the case's flow as its name and Part 2 describe it.
"""
from __future__ import annotations

import asyncio

from ocpp201_calls_support import Case, new_station, reboot, run_case, server  # noqa: F401
from ocpp201_support import Transaction, add_token, id_token
from tests.conftest import STATION_PASSWORD, password_hash, station_client
from tests.stations import recording_station

HEARTBEAT_INTERVAL = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
NEW_PASSWORD = "the-new-password-0123"


def password_case(server, station_status: str) -> tuple[dict, dict, str]:
    """Reconfigure SecurityCtrlr/BasicAuthPassword; the station answers `station_status`."""
    answers = {"SetVariables": lambda p: {"setVariableResult": [
        {"attributeStatus": station_status, "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"},
         "attributeType": "Actual"}]}}

    async def scenario(case: Case):
        await case.seed("reconfigure", {"SecurityCtrlr/BasicAuthPassword": NEW_PASSWORD})
        received = await case.next_call()
        return received, await case.finished(action="SetVariables"), case.cs_id

    return run_case(server, scenario, answers)


async def connects(server, cs_id: str, password: str) -> bool:
    try:
        async with station_client(server.ws_url, cs_id, "ocpp2.0.1", password=password):
            return True
    except Exception:  # the handshake is refused with 401
        return False


def test_TC_A_09_basic_auth_password_set_variables_accepted(server):
    (action, payload), command, cs_id = password_case(server, "Accepted")
    assert (action, payload) == ("SetVariables", {"setVariableData": [
        {"attributeType": "Actual", "attributeValue": NEW_PASSWORD, "component": {"name": "SecurityCtrlr"},
         "variable": {"name": "BasicAuthPassword"}}]})
    assert command["status"] == "completed" and command["response"] == {"results": {"SecurityCtrlr/BasicAuthPassword": "Accepted"}}
    assert NEW_PASSWORD not in str(command["request"])  # masked in the API's view
    assert server.api("GET", f"/cs/{cs_id}/auth").json()["base64SHA256Password"] == password_hash(NEW_PASSWORD)

    async def reconnect():
        assert not await connects(server, cs_id, STATION_PASSWORD)  # only the new password works now
        async with recording_station(server, cs_id, "2.0.1", password=NEW_PASSWORD):
            pass

    asyncio.run(reconnect())


def test_TC_A_10_basic_auth_password_set_variables_rejected(server):
    (action, _), command, cs_id = password_case(server, "Rejected")
    assert action == "SetVariables"
    assert command["status"] == "completed" and command["response"] == {"results": {"SecurityCtrlr/BasicAuthPassword": "Rejected"}}
    assert server.api("GET", f"/cs/{cs_id}/auth").json()["base64SHA256Password"] == password_hash(STATION_PASSWORD)

    async def reconnect():
        assert not await connects(server, cs_id, NEW_PASSWORD)
        async with recording_station(server, cs_id, "2.0.1", password=STATION_PASSWORD):
            pass

    asyncio.run(reconnect())


def test_TC_B_06_get_variables_single(server):
    result = {"attributeStatus": "Accepted", "attributeType": "Actual", "attributeValue": "300", **HEARTBEAT_INTERVAL}

    async def scenario(case: Case):
        command_id = await case.queue("get-configuration", {"keys": ["OCPPCommCtrlr/HeartbeatInterval"]})
        return await case.next_call(), await case.finished(command_id)

    received, command = run_case(server, scenario, {"GetVariables": {"getVariableResult": [result]}})
    assert received == ("GetVariables", {"getVariableData": [{"attributeType": "Actual", **HEARTBEAT_INTERVAL}]})
    assert command["status"] == "completed" and command["response"] == {"getVariableResult": [result]}


def test_TC_B_09_set_variables_single(server):
    async def scenario(case: Case):
        await case.seed("reconfigure", {"OCPPCommCtrlr/HeartbeatInterval": "60"})
        received = await case.next_call()
        command = await case.finished(action="SetVariables")
        await case.no_call(1)  # Accepted: no Reset follows
        return received, command

    received, command = run_case(server, scenario)
    assert received == ("SetVariables", {"setVariableData": [{"attributeType": "Actual", "attributeValue": "60", **HEARTBEAT_INTERVAL}]})
    assert command["status"] == "completed" and command["response"] == {"results": {"OCPPCommCtrlr/HeartbeatInterval": "Accepted"}}


def network_profile_case(server, station_status: str) -> tuple[tuple, dict, dict]:
    payload = {"configurationSlot": 2, "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": "wss://csms.example.com:9311/ws",
        "messageTimeout": 30, "securityProfile": 2, "ocppInterface": "Wired0"}}

    async def scenario(case: Case):
        command_id = await case.queue("call", {"action": "SetNetworkProfile", "payload": payload})
        return await case.next_call(), await case.finished(command_id)

    received, command = run_case(server, scenario, {"SetNetworkProfile": {"status": station_status}})
    return received, command, payload


def test_TC_B_42_set_network_profile_accepted(server):
    received, command, payload = network_profile_case(server, "Accepted")
    assert received == ("SetNetworkProfile", payload)
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}


def test_TC_B_44_set_network_profile_failed(server):
    received, command, payload = network_profile_case(server, "Failed")
    assert received == ("SetNetworkProfile", payload)
    assert command["status"] == "completed" and command["response"] == {"status": "Failed"}


async def start_transaction(case: Case, transaction_id: str, uid: str) -> Transaction:
    """Authorize, plug in and charge: a running transaction on EVSE 1."""
    tx = Transaction(transaction_id)
    assert (await case.send("Authorize", {"idToken": id_token(uid)}))["idTokenInfo"]["status"] == "Accepted"
    await case.status("Occupied")
    answer = await case.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token(uid),
                                                          transactionInfo={"transactionId": transaction_id, "chargingState": "Charging"}))
    assert answer["idTokenInfo"]["status"] == "Accepted"
    return tx


def test_TC_B_20_reset_idle_on_idle(server):
    async def scenario(case: Case):
        command_id = await case.queue("reset", {"type": "OnIdle"})
        received = await case.next_call()
        command = await case.finished(command_id)
        return received, command, await reboot(case, "RemoteReset")

    received, command, boot = run_case(server, scenario)
    assert received == ("Reset", {"type": "OnIdle"})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert boot["status"] == "Accepted"


def test_TC_B_21_reset_ongoing_transaction_on_idle(server):
    add_token(server, "RFID-B21")

    async def scenario(case: Case):
        tx = await start_transaction(case, "TX-B21", "RFID-B21")
        command_id = await case.queue("reset", {"type": "OnIdle"})
        received = await case.next_call()
        command = await case.finished(command_id)
        # Scheduled: the station waits until the driver ends the transaction, then reboots.
        ended = await case.send("TransactionEvent", tx.event("Ended", "StopAuthorized", idToken=id_token("RFID-B21"),
                                                             transactionInfo={"transactionId": "TX-B21", "stoppedReason": "Local"}))
        await case.status("Available")
        return received, command, ended, await reboot(case, "RemoteReset"), await case.transaction("TX-B21")

    received, command, ended, boot, transaction = run_case(server, scenario, {"Reset": {"status": "Scheduled"}})
    assert received == ("Reset", {"type": "OnIdle"})
    assert command["status"] == "completed" and command["response"] == {"status": "Scheduled"}
    assert ended["idTokenInfo"]["status"] == "Accepted"
    assert boot["status"] == "Accepted"
    assert transaction["status"] == "ended" and transaction["stopReason"] == "Local"


def test_TC_B_22_reset_ongoing_transaction_immediate(server):
    add_token(server, "RFID-B22")

    async def scenario(case: Case):
        tx = await start_transaction(case, "TX-B22", "RFID-B22")
        command_id = await case.queue("reset", {"type": "Immediate"})
        received = await case.next_call()
        command = await case.finished(command_id)
        ended = await case.send("TransactionEvent", tx.event("Ended", "ResetCommand",
                                                             transactionInfo={"transactionId": "TX-B22", "stoppedReason": "ImmediateReset"}))
        return received, command, ended, await reboot(case, "RemoteReset"), await case.transaction("TX-B22")

    received, command, ended, boot, transaction = run_case(server, scenario)
    assert received == ("Reset", {"type": "Immediate"})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert ended == {}
    assert boot["status"] == "Accepted"
    assert transaction["status"] == "ended" and transaction["stopReason"] == "ImmediateReset"


def clear_cache_case(server, station_status: str) -> tuple[tuple, dict]:
    async def scenario(case: Case):
        command_id = await case.queue("clear-cache", {})
        return await case.next_call(), await case.finished(command_id)

    return run_case(server, scenario, {"ClearCache": {"status": station_status}})


def test_TC_C_37_clear_cache_accepted(server):
    received, command = clear_cache_case(server, "Accepted")
    assert received == ("ClearCache", {})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}


def test_TC_C_38_clear_cache_rejected(server):
    received, command = clear_cache_case(server, "Rejected")
    assert received == ("ClearCache", {})
    assert command["status"] == "completed" and command["response"] == {"status": "Rejected"}


def test_TC_F_20_trigger_message_heartbeat(server):
    async def scenario(case: Case):
        command_id = await case.queue("trigger-message", {"requestedMessage": "Heartbeat"})
        received = await case.next_call()
        heartbeat = await case.send("Heartbeat", {})
        return received, await case.finished(command_id), heartbeat

    received, command, heartbeat = run_case(server, scenario)
    assert received == ("TriggerMessage", {"requestedMessage": "Heartbeat"})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert set(heartbeat) == {"currentTime"}


def test_TC_F_27_trigger_message_not_implemented(server):
    async def scenario(case: Case):
        await case.seed("trigger", {"trigger": "SignV2GCertificate"})
        received = await case.next_call()
        command = await case.finished(action="TriggerMessage")
        await case.no_call(2)  # a NotImplemented answer ends the command: it is not sent again
        return received, command

    received, command = run_case(server, scenario, {"TriggerMessage": {"status": "NotImplemented"}})
    assert received == ("TriggerMessage", {"requestedMessage": "SignV2GCertificate"})
    assert command["status"] == "completed" and command["response"] == {"status": "NotImplemented"}
