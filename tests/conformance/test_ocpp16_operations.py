"""OCTT 1.6 cases for local lists, firmware, diagnostics, reservations, TriggerMessage and smart charging
(TC_042 … TC_067): the operator queues the operation through the API, the test checks the exact message the
station receives, that the station's answer completes the command, and what the station reports afterwards."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest

from ocpp16_support import (  # noqa: F401 (server: fixture)
    EXPIRY, NOW, add_token, connectors, energy, events, new_station, operate, run, seed, send, server, start, status,
    transaction,
)
from tests.stations import api_read


def _operation(server, path: str, body: dict, answers: dict | None = None):
    """One operation against an idle booted station: (received call, finished command)."""
    cs_id = new_station(server)

    async def scenario(station):
        await status(station, "Available")
        return await operate(server, cs_id, station, path, body)

    return run(server, cs_id, scenario, answers)


def _notifications(server, cs_id: str, action: str) -> list[str]:
    """The statuses of the station's stored `action` notifications, oldest first."""
    found = [event["body"] for event in events(server, cs_id) if event["type"] == action]
    return [body["status"] for body in reversed(found)]


# -- local authorization list -------------------------------------------------------------------------------------
def _local_list(server, cs_id: str) -> dict:
    """What the CSMS says the station's local list is."""
    return api_read(server, f"/cs/{cs_id}/local-list")


def _held(server, cs_id: str) -> list[tuple[str, str, str | None]]:
    return [(entry["idToken"], entry["status"], entry["groupId"]) for entry in _local_list(server, cs_id)["entries"]]


def _local_list_version(server, version: int) -> None:
    cs_id = new_station(server)

    async def scenario(station):
        await status(station, "Available")
        return await operate(server, cs_id, station, "get-local-list-version", {})

    received, command = run(server, cs_id, scenario, {"GetLocalListVersion": {"listVersion": version}})
    assert received == ("GetLocalListVersion", {})
    assert (command["status"], command["response"]) == ("completed", {"listVersion": version})
    state = _local_list(server, cs_id)  # reported, compared with nothing: we never sent this station a list
    assert (state["reportedVersion"], state["version"], state["inSync"], state["entries"]) == (version, None, None, [])
    assert state["reportedAt"]


def test_TC_042_1_get_local_list_version_not_supported(server):
    _local_list_version(server, -1)


def test_TC_042_2_get_local_list_version_empty(server):
    _local_list_version(server, 0)


def _tags_with_a_blocked_group_member(server, cs_id: str) -> list[str]:
    tags = [f"{cs_id}-A", f"{cs_id}-B"]
    add_token(server, tags[0])
    add_token(server, tags[1], valid=False, groupId=f"{cs_id}-GROUP")
    return tags


def _full_list(tags: list[str], cs_id: str) -> list[dict]:
    return [
        {"idTag": tags[0], "idTagInfo": {"status": "Accepted"}},
        {"idTag": tags[1], "idTagInfo": {"status": "Blocked", "parentIdTag": f"{cs_id}-GROUP"}},
    ]


def _send_local_list_refused(server, answer: str):
    cs_id = new_station(server)
    tags = _tags_with_a_blocked_group_member(server, cs_id)
    body = {"listVersion": 5, "updateType": "Full", "tokens": tags}
    received, command = run(server, cs_id, lambda station: operate(server, cs_id, station, "send-local-list", body),
                            {"SendLocalList": {"status": answer}})
    assert received == ("SendLocalList", {"listVersion": 5, "updateType": "Full", "localAuthorizationList": _full_list(tags, cs_id)})
    assert (command["status"], command["response"]) == ("completed", {"status": answer})
    state = _local_list(server, cs_id)  # the station took nothing: we know no list of it
    assert (state["version"], state["entries"], state["inSync"]) == (None, [], None)


def test_TC_043_1_send_local_list_not_supported(server):
    _send_local_list_refused(server, "NotSupported")


def test_TC_043_3_send_local_list_failed(server):
    _send_local_list_refused(server, "Failed")


def test_TC_043_4_send_local_list_full(server):
    cs_id = new_station(server)
    tags = _tags_with_a_blocked_group_member(server, cs_id)

    async def scenario(station):
        sent = await operate(server, cs_id, station, "send-local-list", {"listVersion": 5, "updateType": "Full", "tokens": tags})
        return sent, await operate(server, cs_id, station, "get-local-list-version", {})

    (received, command), (asked, version) = run(server, cs_id, scenario, {"GetLocalListVersion": {"listVersion": 5}})
    assert received == ("SendLocalList", {"listVersion": 5, "updateType": "Full", "localAuthorizationList": _full_list(tags, cs_id)})
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert asked == ("GetLocalListVersion", {}) and version["response"] == {"listVersion": 5}
    state = _local_list(server, cs_id)
    assert (state["version"], state["reportedVersion"], state["inSync"]) == (5, 5, True)
    assert _held(server, cs_id) == [(tags[0], "Accepted", None), (tags[1], "Blocked", f"{cs_id}-GROUP")]


def test_TC_043_5_send_local_list_differential(server):
    cs_id = new_station(server)
    tags = _tags_with_a_blocked_group_member(server, cs_id)
    added = f"{cs_id}-C"

    async def scenario(station):
        await operate(server, cs_id, station, "send-local-list", {"listVersion": 5, "updateType": "Full", "tokens": tags})
        await asyncio.to_thread(add_token, server, tags[1], groupId=f"{cs_id}-GROUP")  # unblocked: changed
        await asyncio.to_thread(add_token, server, added)
        differential = await operate(server, cs_id, station, "send-local-list",
                                     {"updateType": "Differential", "tokens": [*tags, added]})
        return differential, await operate(server, cs_id, station, "get-local-list-version", {})

    (received, command), (_, version) = run(server, cs_id, scenario, {"GetLocalListVersion": {"listVersion": 6}})
    assert received == ("SendLocalList", {"listVersion": 6, "updateType": "Differential", "localAuthorizationList": [
        {"idTag": tags[1], "idTagInfo": {"status": "Accepted", "parentIdTag": f"{cs_id}-GROUP"}},
        {"idTag": added, "idTagInfo": {"status": "Accepted"}},
    ]})  # the unchanged tags[0] is not sent again
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert version["response"] == {"listVersion": 6}
    state = _local_list(server, cs_id)
    assert (state["version"], state["reportedVersion"], state["inSync"]) == (6, 6, True)
    assert _held(server, cs_id) == [
        (tags[0], "Accepted", None), (tags[1], "Accepted", f"{cs_id}-GROUP"), (added, "Accepted", None)]


# -- firmware and diagnostics -----------------------------------------------------------------------------------
FIRMWARE = {"location": "https://firmware.example.com/fw-2.0.bin", "retrieveDateTime": NOW, "retries": 2, "retryInterval": 60}


def _firmware_update(server, statuses: list[str], reboot: bool = False):
    cs_id = new_station(server)

    async def scenario(station):
        received, command = await operate(server, cs_id, station, "update-firmware", FIRMWARE)
        answers = []
        for value in statuses:
            if value == "Installed" and reboot:
                answers.append(await send(station, "BootNotification", {
                    "chargePointVendor": "ACME", "chargePointModel": "M1", "firmwareVersion": "2.0"}))
            answers.append(await send(station, "FirmwareStatusNotification", {"status": value}))
        return received, command, answers

    received, command, answers = run(server, cs_id, scenario, {"UpdateFirmware": {}})
    assert received == ("UpdateFirmware", {
        "location": FIRMWARE["location"], "retrieveDate": NOW, "retries": 2, "retryInterval": 60})
    assert (command["status"], command["response"]) == ("completed", {})
    assert all(answer == {} or answer["status"] == "Accepted" for answer in answers)  # {} or the reboot's boot
    assert _notifications(server, cs_id, "FirmwareStatusNotification") == statuses
    return cs_id


def test_TC_044_1_firmware_update_download_and_install(server):
    cs_id = _firmware_update(server, ["Downloading", "Downloaded", "Installing", "Installed"], reboot=True)
    assert server.api("GET", f"/cs/{cs_id}").json()["firmwareVersion"] == "2.0"


def test_TC_044_2_firmware_update_download_failed(server):
    _firmware_update(server, ["Downloading", "DownloadFailed"])


def test_TC_044_3_firmware_update_installation_failed(server):
    _firmware_update(server, ["Downloading", "Downloaded", "Installing", "InstallationFailed"])


def _diagnostics(server, statuses: list[str]):
    cs_id = new_station(server)
    body = {"location": "ftp://logs.example.com/upload/", "oldestTimestamp": "2025-12-01T00:00:00Z", "retries": 1}

    async def scenario(station):
        received, command = await operate(server, cs_id, station, "get-log", body)
        answers = [await send(station, "DiagnosticsStatusNotification", {"status": value}) for value in statuses]
        return received, command, answers

    received, command, answers = run(server, cs_id, scenario, {"GetDiagnostics": {"fileName": "diagnostics-1.zip"}})
    assert received == ("GetDiagnostics", {
        "location": body["location"], "startTime": body["oldestTimestamp"], "retries": 1})
    assert (command["status"], command["response"]) == ("completed", {"fileName": "diagnostics-1.zip"})
    assert answers == [{}] * len(statuses)
    assert _notifications(server, cs_id, "DiagnosticsStatusNotification") == statuses


def test_TC_045_1_get_diagnostics(server):
    _diagnostics(server, ["Uploading", "Uploaded"])


def test_TC_045_2_get_diagnostics_upload_failed(server):
    _diagnostics(server, ["Uploading", "UploadFailed"])


# -- reservations ----------------------------------------------------------------------------------------------
def _reserve(server, cs_id: str, station, tag: str, connector_id: int = 1, reservation_id: int = 11,
             expiry: str = EXPIRY, **extra):
    body = {"reservationId": reservation_id, "expiryDateTime": expiry, "idToken": tag, "evseId": connector_id, **extra}
    return operate(server, cs_id, station, "reserve-now", body)


def _reserve_now_expected(tag: str, connector_id: int = 1, reservation_id: int = 11, expiry: str = EXPIRY,
                          **extra) -> tuple[str, dict]:
    return "ReserveNow", {"connectorId": connector_id, "expiryDate": expiry, "idTag": tag, "reservationId": reservation_id, **extra}


def _reservation(server, cs_id: str, reservation_id: int = 11) -> dict:
    """The reservation as the CSMS keeps it."""
    return api_read(server, f"/cs/{cs_id}/reservations/{reservation_id}")


def _reserved_start(server, connector_id: int):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        received, command = await _reserve(server, cs_id, station, tag, connector_id)
        await status(station, "Reserved", connector_id)
        reserved = await asyncio.to_thread(_reservation, server, cs_id)
        authorized = await send(station, "Authorize", {"idTag": tag})
        await status(station, "Preparing")
        started = await start(station, tag, reservationId=11)
        await status(station, "Charging")
        return received, command, reserved, authorized, started

    received, command, reserved, authorized, started = run(server, cs_id, scenario)
    assert received == _reserve_now_expected(tag, connector_id)
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert (reserved["status"], reserved["evseId"], reserved["idToken"]) == ("reserved", connector_id, tag)
    assert authorized["idTagInfo"]["status"] == started["idTagInfo"]["status"] == "Accepted"
    assert transaction(server, started["transactionId"])["status"] == "active"
    used = _reservation(server, cs_id)  # the StartTransaction carrying reservationId 11 ended the reservation
    assert (used["status"], used["transactionId"]) == ("used", str(started["transactionId"]))


def test_TC_046_reservation_of_a_connector_local_start(server):
    _reserved_start(server, 1)


def test_TC_049_reservation_of_the_charge_point_transaction(server):
    _reserved_start(server, 0)


def _reservation_status(server, cs_id: str, until: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while (found := _reservation(server, cs_id)["status"]) != until and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_TC_047_reservation_of_a_connector_expires(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    expiry = (datetime.now(timezone.utc) + timedelta(seconds=5)).isoformat(timespec="seconds").replace("+00:00", "Z")

    async def scenario(station):
        received, command = await _reserve(server, cs_id, station, tag, expiry=expiry)
        await status(station, "Reserved")
        reserved = await asyncio.to_thread(_reservation, server, cs_id)
        expired = await asyncio.to_thread(_reservation_status, server, cs_id, "expired")
        await status(station, "Available")  # the station freed the connector at expiryDate, without the EV driver
        return received, command, reserved, expired

    received, command, reserved, expired = run(server, cs_id, scenario)
    assert received == _reserve_now_expected(tag, expiry=expiry)
    assert command["response"] == {"status": "Accepted"}
    assert (reserved["status"], reserved["expiryDateTime"]) == ("reserved", expiry)
    assert expired == "expired"  # at its expiryDate, not at the next sweep
    assert connectors(server, cs_id)[1] == "Available"
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []


def _reserve_refused(server, answer):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    connector_status = {"Faulted": "Faulted", "Occupied": "Preparing", "Unavailable": "Unavailable"}.get(answer, "Available")

    async def scenario(station):
        await status(station, connector_status, error_code="OtherError" if answer == "Faulted" else "NoError")
        return await _reserve(server, cs_id, station, tag)

    received, command = run(server, cs_id, scenario, {"ReserveNow": {"status": answer}})
    assert received == _reserve_now_expected(tag)
    assert (command["status"], command["response"]) == ("completed", {"status": answer})
    refused = _reservation(server, cs_id)
    assert (refused["status"], refused["stationStatus"], refused["commandId"]) == ("rejected", answer, command["id"])


def test_TC_048_1_reserve_now_faulted(server):
    _reserve_refused(server, "Faulted")


def test_TC_048_2_reserve_now_occupied(server):
    _reserve_refused(server, "Occupied")


def test_TC_048_3_reserve_now_unavailable(server):
    _reserve_refused(server, "Unavailable")


def test_TC_048_4_reserve_now_rejected(server):
    _reserve_refused(server, "Rejected")


def _cancel(server, answer: str):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        reserved = None
        if answer == "Accepted":
            reserved = await _reserve(server, cs_id, station, tag)
            await status(station, "Reserved")
        cancelled = await operate(server, cs_id, station, "cancel-reservation", {"reservationId": 11})
        if answer == "Accepted":
            await status(station, "Available")
        return reserved, cancelled

    reserved, (received, command) = run(server, cs_id, scenario, {"CancelReservation": {"status": answer}})
    assert received == ("CancelReservation", {"reservationId": 11})
    assert (command["status"], command["response"]) == ("completed", {"status": answer})
    return cs_id, reserved


def test_TC_051_cancel_reservation(server):
    cs_id, (received, command) = _cancel(server, "Accepted")
    assert received[0] == "ReserveNow" and command["response"] == {"status": "Accepted"}
    assert connectors(server, cs_id)[1] == "Available"
    assert _reservation(server, cs_id)["status"] == "cancelled"


def test_TC_052_cancel_reservation_rejected(server):
    cs_id, _ = _cancel(server, "Rejected")
    # The station knows no reservation 11, and a refused cancel leaves none behind here either.
    assert server.api("GET", f"/cs/{cs_id}/reservations").json() == []
    assert server.api("GET", f"/cs/{cs_id}/reservations/11").status_code == 404


def test_TC_053_use_a_reserved_connector_with_parent_id_tag(server):
    cs_id = new_station(server)
    group = f"{cs_id}-GROUP"
    owner, other = f"{cs_id}-A", f"{cs_id}-B"
    add_token(server, owner, groupId=group)
    add_token(server, other, groupId=group)

    async def scenario(station):
        received, command = await _reserve(server, cs_id, station, owner, parentIdTag=group)
        await status(station, "Reserved")
        authorized = await send(station, "Authorize", {"idTag": other})  # same parentIdTag: may use the reservation
        await status(station, "Preparing")
        started = await start(station, other, reservationId=11)
        return received, command, authorized, started

    received, command, authorized, started = run(server, cs_id, scenario)
    assert received == _reserve_now_expected(owner, parentIdTag=group)
    assert command["response"] == {"status": "Accepted"}
    assert authorized["idTagInfo"] == {"status": "Accepted", "parentIdTag": group}
    assert started["idTagInfo"] == {"status": "Accepted", "parentIdTag": group}
    assert transaction(server, started["transactionId"])["idToken"] == other
    used = _reservation(server, cs_id)  # the owner's reservation, used by a member of its group
    assert (used["idToken"], used["parentIdTag"], used["status"], used["transactionId"]) == (
        owner, group, "used", str(started["transactionId"]))


# -- TriggerMessage ----------------------------------------------------------------------------------------------
TRIGGERED = {
    "MeterValues": ("MeterValues", {"connectorId": 1, "meterValue": [energy(1234, context="Trigger")]}),
    "Heartbeat": ("Heartbeat", {}),
    "StatusNotification": ("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}),
    "DiagnosticsStatusNotification": ("DiagnosticsStatusNotification", {"status": "Idle"}),
    "FirmwareStatusNotification": ("FirmwareStatusNotification", {"status": "Idle"}),
    "BootNotification": ("BootNotification", {"chargePointVendor": "ACME", "chargePointModel": "M1"}),
}


def test_TC_054_trigger_message(server):
    cs_id = new_station(server)

    async def scenario(station):
        outcomes = {}
        for requested, (action, payload) in TRIGGERED.items():
            body = {"requestedMessage": requested} | ({"evseId": 1} if requested in ("MeterValues", "StatusNotification") else {})
            received, command = await operate(server, cs_id, station, "trigger-message", body)
            outcomes[requested] = (received, command, await send(station, action, payload))
        return outcomes

    outcomes = run(server, cs_id, scenario)
    for requested, (received, command, answer) in outcomes.items():
        expected = {"requestedMessage": requested} | (
            {"connectorId": 1} if requested in ("MeterValues", "StatusNotification") else {})
        assert received == ("TriggerMessage", expected), requested
        assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"}), requested
    assert outcomes["MeterValues"][2] == {}  # MeterValues.conf: TC_054 is the case that needs it
    assert outcomes["Heartbeat"][2]["currentTime"]
    assert outcomes["BootNotification"][2]["status"] == "Accepted"


def test_TC_055_trigger_message_rejected(server):
    received, command = _operation(server, "trigger-message", {"requestedMessage": "MeterValues", "evseId": 1},
                                   {"TriggerMessage": {"status": "Rejected"}})
    assert received == ("TriggerMessage", {"requestedMessage": "MeterValues", "connectorId": 1})
    assert (command["status"], command["response"]) == ("completed", {"status": "Rejected"})


# -- smart charging ------------------------------------------------------------------------------------------------
def _profile(purpose: str, **extra) -> dict:
    schedule = {"id": 1, "chargingRateUnit": "W", "chargingSchedulePeriod": [
        {"startPeriod": 0, "limit": 11000}, {"startPeriod": 1800, "limit": 7400.5}]}
    return {"id": 3, "stackLevel": 0, "chargingProfilePurpose": purpose, "chargingProfileKind": "Relative",
            "chargingSchedule": [schedule]} | extra


def _periods(payload: dict) -> list[tuple[int, float]]:
    schedule = payload["csChargingProfiles"]["chargingSchedule"]
    return [(period["startPeriod"], float(period["limit"])) for period in schedule["chargingSchedulePeriod"]]


def test_TC_056_central_smart_charging_tx_default_profile(server):
    cs_id = new_station(server)
    received, command = run(server, cs_id, lambda station: seed(
        server, cs_id, station, "setchargingprofile", _profile("TxDefaultProfile")))
    action, payload = received
    assert action == "SetChargingProfile" and payload["connectorId"] == 0
    profile = payload["csChargingProfiles"]
    assert (profile["chargingProfileId"], profile["chargingProfilePurpose"], profile["stackLevel"],
            profile["chargingProfileKind"]) == (3, "TxDefaultProfile", 0, "Relative")
    assert "transactionId" not in profile and _periods(payload) == [(0, 11000.0), (1800, 7400.5)]
    assert (command["action"], command["status"], command["response"]) == ("SetChargingProfile", "completed", {"status": "Accepted"})


def test_TC_057_central_smart_charging_tx_profile(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        started = await start(station, tag, connector_id=2)
        await status(station, "Charging", 2)
        profile = _profile("TxProfile", transactionId=str(started["transactionId"]))
        return started["transactionId"], await seed(server, cs_id, station, "setchargingprofile", profile)

    tx_id, (received, command) = run(server, cs_id, scenario)
    action, payload = received
    assert action == "SetChargingProfile" and payload["connectorId"] == 2
    profile = payload["csChargingProfiles"]
    assert (profile["chargingProfilePurpose"], profile["transactionId"]) == ("TxProfile", tx_id)
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})


def test_TC_066_get_composite_schedule(server):
    schedule = {"chargingRateUnit": "A", "duration": 3600, "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}
    answer = {"status": "Accepted", "connectorId": 1, "scheduleStart": NOW, "chargingSchedule": schedule}
    received, command = _operation(server, "get-composite-schedule",
                                   {"evseId": 1, "duration": 3600, "chargingRateUnit": "A"},
                                   {"GetCompositeSchedule": answer})
    assert received == ("GetCompositeSchedule", {"connectorId": 1, "duration": 3600, "chargingRateUnit": "A"})
    assert command["status"] == "completed"
    response = command["response"]
    assert (response["status"], response["connectorId"], response["chargingSchedule"]["duration"]) == ("Accepted", 1, 3600)
    assert float(response["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"]) == 16.0


@pytest.mark.parametrize("answer", ["Accepted", "Unknown"])
def test_TC_067_clear_charging_profile(server, answer):
    received, command = _operation(server, "clear-charging-profile", {"id": 3},
                                   {"ClearChargingProfile": {"status": answer}})
    assert received == ("ClearChargingProfile", {"id": 3})
    assert (command["status"], command["response"]) == ("completed", {"status": answer})
