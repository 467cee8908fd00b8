"""OCTT 1.6 cases where the operator makes the CSMS send a call: remote start/stop, reset, unlock, configuration
and the authorization cache (TC_010 … TC_040_2, TC_061). Each queues the operation through the API, checks the
exact message the station receives, and that the station's answer (any status) completes the command."""
from __future__ import annotations

import pytest

from ocpp16_support import (  # noqa: F401 (server: fixture)
    add_token, connectors, new_station, operate, run, seed, server, start, status, stop, transaction,
)

TX_PROFILE = {
    "id": 7, "stackLevel": 1, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative",
    "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}],
}


def _remote_start(server, first: str, answer: str = "Accepted", plug_in: bool = True, body_extra=None):
    """Remote start on connector 1 (cable first or remote start first); the received call, command, start answer."""
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        if first == "cable":
            await status(station, "Preparing")
        received, command = await operate(server, cs_id, station, "remote-start",
                                           {"idToken": tag, "evseId": 1, **(body_extra or {})})
        started = None
        if answer == "Accepted" and plug_in:
            if first == "remote":
                await status(station, "Preparing")
            started = await start(station, tag)
            await status(station, "Charging")
        elif answer == "Accepted":
            await status(station, "Preparing")
            await status(station, "Available")  # ConnectionTimeOut: the EV was never plugged in
        return received, command, started

    received, command, started = run(server, cs_id, scenario, {"RemoteStartTransaction": {"status": answer}})
    return cs_id, tag, received, command, started


def test_TC_010_remote_start_cable_plugged_in_first(server):
    cs_id, tag, received, command, started = _remote_start(server, "cable")
    assert received == ("RemoteStartTransaction", {"idTag": tag, "connectorId": 1})
    assert (command["status"], command["action"], command["response"]) == ("completed", "RemoteStartTransaction", {"status": "Accepted"})
    assert started["idTagInfo"]["status"] == "Accepted"
    assert transaction(server, started["transactionId"])["status"] == "active"
    assert connectors(server, cs_id)[1] == "Charging"


def test_TC_011_1_remote_start_remote_start_first(server):
    cs_id, tag, received, command, started = _remote_start(server, "remote")
    assert received == ("RemoteStartTransaction", {"idTag": tag, "connectorId": 1})
    assert command["response"] == {"status": "Accepted"}
    assert transaction(server, started["transactionId"])["idToken"] == tag


def test_TC_011_2_remote_start_connection_timeout(server):
    cs_id, tag, received, command, started = _remote_start(server, "remote", plug_in=False)
    assert received[0] == "RemoteStartTransaction" and command["response"] == {"status": "Accepted"}
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []
    assert connectors(server, cs_id)[1] == "Available"


def test_TC_026_remote_start_rejected(server):
    cs_id, tag, received, command, started = _remote_start(server, "cable", answer="Rejected")
    assert received == ("RemoteStartTransaction", {"idTag": tag, "connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "Rejected"})
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []


def test_TC_059_remote_start_with_charging_profile(server):
    cs_id, tag, received, command, started = _remote_start(server, "cable", body_extra={"chargingProfile": TX_PROFILE})
    action, payload = received
    assert action == "RemoteStartTransaction" and (payload["idTag"], payload["connectorId"]) == (tag, 1)
    profile = payload["chargingProfile"]
    assert (profile["chargingProfileId"], profile["stackLevel"], profile["chargingProfilePurpose"],
            profile["chargingProfileKind"]) == (7, 1, "TxProfile", "Relative")
    schedule = profile["chargingSchedule"]
    assert schedule["chargingRateUnit"] == "A" and "id" not in schedule
    assert [(p["startPeriod"], float(p["limit"])) for p in schedule["chargingSchedulePeriod"]] == [(0, 16.0)]
    assert command["response"] == {"status": "Accepted"} and started["idTagInfo"]["status"] == "Accepted"


def _remote_stop(server, answer: str):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        started = await start(station, tag)
        await status(station, "Charging")
        tx_id = started["transactionId"]
        received, command = await operate(server, cs_id, station, "remote-stop", {"transactionId": str(tx_id)})
        stopped = None
        if answer == "Accepted":
            stopped = await stop(station, tx_id, idTag=tag, reason="Remote")
            await status(station, "Finishing")
            await status(station, "Available")
        return tx_id, received, command, stopped

    return run(server, cs_id, scenario, {"RemoteStopTransaction": {"status": answer}})


def test_TC_012_remote_stop(server):
    tx_id, received, command, stopped = _remote_stop(server, "Accepted")
    assert received == ("RemoteStopTransaction", {"transactionId": tx_id})
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert stopped["idTagInfo"]["status"] == "Accepted"
    tx = transaction(server, tx_id)
    assert (tx["status"], tx["stopReason"]) == ("ended", "Remote")


def test_TC_028_remote_stop_rejected(server):
    tx_id, received, command, stopped = _remote_stop(server, "Rejected")
    assert received == ("RemoteStopTransaction", {"transactionId": tx_id})
    assert (command["status"], command["response"]) == ("completed", {"status": "Rejected"})
    assert transaction(server, tx_id)["status"] == "active"


def _reset(server, reset_type: str):
    cs_id = new_station(server)

    async def scenario(station):
        await status(station, "Available")
        return await operate(server, cs_id, station, "reset", {"type": reset_type})

    received, command = run(server, cs_id, scenario)

    async def rebooted(station):  # the station restarts: a new connection, BootNotification, StatusNotifications
        return [await status(station, "Available", connector) for connector in (0, 1)]

    assert run(server, cs_id, rebooted) == [{}, {}]
    assert server.api("GET", f"/cs/{cs_id}").json()["bootStatus"] == "Accepted"
    return received, command


def test_TC_013_hard_reset(server):
    received, command = _reset(server, "Hard")
    assert received == ("Reset", {"type": "Hard"})
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})


def test_TC_014_soft_reset(server):
    received, command = _reset(server, "Soft")
    assert received == ("Reset", {"type": "Soft"})
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})


def _unlock(server, answer: str, connector_id: int = 1):
    cs_id = new_station(server)

    async def scenario(station):
        await status(station, "Available")
        return await operate(server, cs_id, station, "unlock-connector", {"evseId": connector_id})

    return run(server, cs_id, scenario, {"UnlockConnector": {"status": answer}})


def test_TC_017_1_unlock_connector_no_session(server):
    received, command = _unlock(server, "Unlocked")
    assert received == ("UnlockConnector", {"connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "Unlocked"})


def test_TC_017_2_unlock_connector_fixed_cable(server):
    received, command = _unlock(server, "NotSupported")
    assert received == ("UnlockConnector", {"connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "NotSupported"})


def test_TC_030_unlock_connector_failure(server):
    received, command = _unlock(server, "UnlockFailed")
    assert received == ("UnlockConnector", {"connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "UnlockFailed"})


def test_TC_031_unlock_unknown_connector(server):
    received, command = _unlock(server, "NotSupported", connector_id=9)
    assert received == ("UnlockConnector", {"connectorId": 9})
    assert (command["status"], command["response"]) == ("completed", {"status": "NotSupported"})


def test_TC_018_1_unlock_connector_with_session(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        started = await start(station, tag)
        await status(station, "Charging")
        received, command = await operate(server, cs_id, station, "unlock-connector", {"evseId": 1})
        stopped = await stop(station, started["transactionId"], idTag=tag, reason="UnlockCommand")
        await status(station, "Finishing")
        await status(station, "Available")
        return started["transactionId"], received, command, stopped

    tx_id, received, command, stopped = run(server, cs_id, scenario)
    assert received == ("UnlockConnector", {"connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "Unlocked"})
    tx = transaction(server, tx_id)
    assert (tx["status"], tx["stopReason"]) == ("ended", "UnlockCommand")


ALL_KEYS = [
    {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
    {"key": "SupportedFeatureProfiles", "readonly": True, "value": "Core,FirmwareManagement,LocalAuthListManagement"},
    {"key": "NumberOfConnectors", "readonly": True, "value": "1"},
]


def test_TC_019_1_get_configuration_all_keys(server):
    cs_id = new_station(server)
    received, command = run(server, cs_id, lambda station: operate(server, cs_id, station, "get-configuration", {}),
                            {"GetConfiguration": {"configurationKey": ALL_KEYS}})
    assert received == ("GetConfiguration", {})
    assert (command["status"], command["response"]) == ("completed", {"configurationKey": ALL_KEYS})


def test_TC_019_2_get_configuration_one_key(server):
    cs_id = new_station(server)

    def answer(payload):
        return {"configurationKey": [item for item in ALL_KEYS if item["key"] in payload["key"]]}

    body = {"keys": ["SupportedFeatureProfiles"]}
    received, command = run(server, cs_id, lambda station: operate(server, cs_id, station, "get-configuration", body),
                            {"GetConfiguration": answer})
    assert received == ("GetConfiguration", {"key": ["SupportedFeatureProfiles"]})
    assert command["status"] == "completed"
    assert command["response"]["configurationKey"] == [ALL_KEYS[1]]


def _change_configuration(server, key: str, value: str, answer: str):
    cs_id = new_station(server)
    received, command = run(server, cs_id, lambda station: seed(server, cs_id, station, "reconfigure", {key: value}),
                            {"ChangeConfiguration": {"status": answer}})
    return received, command


def test_TC_021_change_configuration(server):
    received, command = _change_configuration(server, "MeterValueSampleInterval", "60", "Accepted")
    assert received == ("ChangeConfiguration", {"key": "MeterValueSampleInterval", "value": "60"})
    assert (command["status"], command["response"]) == ("completed", {"results": {"MeterValueSampleInterval": "Accepted"}})


def test_TC_040_1_change_configuration_not_supported(server):
    received, command = _change_configuration(server, "UnknownConfigurationKey", "1", "NotSupported")
    assert received == ("ChangeConfiguration", {"key": "UnknownConfigurationKey", "value": "1"})
    assert (command["status"], command["response"]) == ("completed", {"results": {"UnknownConfigurationKey": "NotSupported"}})


def test_TC_040_2_change_configuration_invalid_value(server):
    received, command = _change_configuration(server, "MeterValueSampleInterval", "-1", "Rejected")
    assert received == ("ChangeConfiguration", {"key": "MeterValueSampleInterval", "value": "-1"})
    assert (command["status"], command["response"]) == ("completed", {"results": {"MeterValueSampleInterval": "Rejected"}})


@pytest.mark.parametrize("answer", ["Accepted", "Rejected"])
def test_TC_061_clear_authorization_cache(server, answer):
    cs_id = new_station(server)
    received, command = run(server, cs_id, lambda station: operate(server, cs_id, station, "clear-cache", {}),
                            {"ClearCache": {"status": answer}})
    assert received == ("ClearCache", {})
    assert (command["status"], command["response"]) == ("completed", {"status": answer})
