"""OCTT 2.0.1 cases L (firmware update), N_25–N_36 (GetLog) and N_27–N_32 (CustomerInformation) in which the
CSMS sends the call, queued through the management API, with the status notifications that follow.

Firmware: every UpdateFirmware carries the signing certificate and signature the operator supplies (made in
the test: a firmware-signing certificate and an ECDSA signature over the image). The station checks them, not
the CSMS, so no case needs the CSMS's own PKI. OCTT's step lists are not public: each scenario is the case's
flow as its name and Part 2 (L01, N01, N09, N10) describe it; for L_08 / L_09 the failing step is our reading.
"""
from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from ocpp201_calls_support import Case, body_of, reboot, run_case, server  # noqa: F401
from ocpp201_support import NOW, Transaction, add_token, id_token
from tests.gateway.certs import issue

LOCATION = "https://firmware.example.com/csms-tests/fw-2.0.bin"
LOG_LOCATION = "https://logs.example.com/upload"
SIGNER = issue("Firmware Signer", "CSMS tests")
SIGNATURE = base64.b64encode(SIGNER.key.sign(b"firmware image 2.0", ec.ECDSA(hashes.SHA256()))).decode()
FIRMWARE = {"location": LOCATION, "retrieveDateTime": NOW, "signingCertificate": SIGNER.pem().decode(), "signature": SIGNATURE}


def answer_in_turn(*answers: dict[str, Any]):
    """A station answer that is `answers[0]` to the first call, `answers[1]` to the second, ..."""
    queue = list(answers)
    return lambda payload: queue.pop(0)


async def firmware_status(case: Case, request_id: int, *statuses: str) -> None:
    for status in statuses:
        assert await case.send("FirmwareStatusNotification", {"status": status, "requestId": request_id}) == {}


async def stored_statuses(case: Case, action: str, request_id: int) -> list[str]:
    """The statuses of the stored notifications of `action` for `request_id`, oldest first."""
    return [body_of(n)["status"] for n in await case.notifications(action) if n["requestId"] == request_id]


async def update_firmware(case: Case) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """Queue POST /update-firmware; the request id, the received payload and the finished command."""
    command_id = await case.queue("update-firmware", FIRMWARE)
    action, payload = await case.next_call()
    assert action == "UpdateFirmware"
    assert payload == {"requestId": payload["requestId"], "firmware": FIRMWARE}
    return payload["requestId"], payload, await case.finished(command_id)


def test_TC_L_01_secure_firmware_update(server):
    async def scenario(case: Case):
        request_id, _, command = await update_firmware(case)
        await firmware_status(case, request_id, "Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting")

        # After the reboot the station reports the outcome on its new connection.
        boot = await reboot(case, "FirmwareUpdate", lambda again: firmware_status(again, request_id, "Installed"))
        return command, boot, await stored_statuses(case, "FirmwareStatusNotification", request_id)

    command, boot, statuses = run_case(server, scenario)
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert boot["status"] == "Accepted"
    assert statuses == ["Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed"]


def rejected_certificate_case(server, station_status: str) -> tuple[dict, list[str]]:
    async def scenario(case: Case):
        _, _, command = await update_firmware(case)
        event = {"type": "InvalidFirmwareSigningCertificate", "timestamp": NOW, "techInfo": station_status}
        assert await case.send("SecurityEventNotification", event) == {}
        return command, await case.security_events()

    return run_case(server, scenario, {"UpdateFirmware": {"status": station_status}})


def test_TC_L_04_firmware_revoked_certificate(server):
    command, events = rejected_certificate_case(server, "RevokedCertificate")
    assert command["status"] == "completed" and command["response"] == {"status": "RevokedCertificate"}
    assert events == ["InvalidFirmwareSigningCertificate"]


def test_TC_L_05_firmware_invalid_certificate(server):
    command, events = rejected_certificate_case(server, "InvalidCertificate")
    assert command["status"] == "completed" and command["response"] == {"status": "InvalidCertificate"}
    assert events == ["InvalidFirmwareSigningCertificate"]


def firmware_case(server, *statuses: str, security_event: str | None = None) -> tuple[dict, list[str], list[str]]:
    """UpdateFirmware Accepted, then the station reports `statuses` (and optionally a security event)."""

    async def scenario(case: Case):
        request_id, _, command = await update_firmware(case)
        await firmware_status(case, request_id, *statuses)
        if security_event:
            assert await case.send("SecurityEventNotification", {"type": security_event, "timestamp": NOW}) == {}
        return command, await stored_statuses(case, "FirmwareStatusNotification", request_id), await case.security_events()

    return run_case(server, scenario)


def test_TC_L_06_firmware_invalid_signature(server):
    statuses = ("Downloading", "Downloaded", "InvalidSignature")
    command, stored, events = firmware_case(server, *statuses, security_event="InvalidFirmwareSignature")
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert stored == list(statuses) and events == ["InvalidFirmwareSignature"]


def test_TC_L_07_firmware_download_failed(server):
    command, stored, _ = firmware_case(server, "Downloading", "DownloadFailed")
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert stored == ["Downloading", "DownloadFailed"]


def test_TC_L_08_firmware_installation_failed(server):
    statuses = ("Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallationFailed")
    command, stored, _ = firmware_case(server, *statuses)
    assert command["status"] == "completed" and stored == list(statuses)


def test_TC_L_09_firmware_install_verification_failed(server):
    statuses = ("Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallVerificationFailed")
    command, stored, _ = firmware_case(server, *statuses)
    assert command["status"] == "completed" and stored == list(statuses)


def second_update_case(server, second_answer: str) -> tuple[list[dict], list[str], list[str]]:
    """An update is under way when the operator sends another; the station answers the second `second_answer`."""

    async def scenario(case: Case):
        first_id, _, first = await update_firmware(case)
        await firmware_status(case, first_id, "Downloading")
        second_id, _, second = await update_firmware(case)
        if second_answer == "AcceptedCanceled":  # the first is given up, the second goes ahead
            await firmware_status(case, second_id, "Downloading", "Downloaded", "SignatureVerified", "Installing", "Installed")
        else:  # the first cannot be cancelled and completes
            await firmware_status(case, first_id, "Downloaded", "SignatureVerified", "Installing", "Installed")
        statuses = [await stored_statuses(case, "FirmwareStatusNotification", i) for i in (first_id, second_id)]
        return [first, second], *statuses

    answers = {"UpdateFirmware": answer_in_turn({"status": "Accepted"}, {"status": second_answer})}
    return run_case(server, scenario, answers)


def test_TC_L_10_firmware_update_accepted_canceled(server):
    (first, second), first_statuses, second_statuses = second_update_case(server, "AcceptedCanceled")
    assert first["response"] == {"status": "Accepted"}
    assert second["status"] == "completed" and second["response"] == {"status": "AcceptedCanceled"}
    assert first_statuses == ["Downloading"]
    assert second_statuses == ["Downloading", "Downloaded", "SignatureVerified", "Installing", "Installed"]


def test_TC_L_11_firmware_update_unable_to_cancel(server):
    (first, second), first_statuses, second_statuses = second_update_case(server, "Rejected")
    assert first["response"] == {"status": "Accepted"}
    assert second["status"] == "completed" and second["response"] == {"status": "Rejected"}
    assert first_statuses == ["Downloading", "Downloaded", "SignatureVerified", "Installing", "Installed"]
    assert second_statuses == []


def test_TC_L_13_firmware_not_installed_during_transaction(server):
    add_token(server, "RFID-L13")

    async def scenario(case: Case):
        tx = Transaction("TX-L13")
        await case.status("Occupied")
        await case.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token("RFID-L13"),
                                                     transactionInfo={"transactionId": "TX-L13", "chargingState": "Charging"}))
        request_id, _, command = await update_firmware(case)
        await firmware_status(case, request_id, "Downloading", "Downloaded", "SignatureVerified", "InstallScheduled")
        await case.send("TransactionEvent", tx.event("Ended", "StopAuthorized", idToken=id_token("RFID-L13"),
                                                     transactionInfo={"transactionId": "TX-L13", "stoppedReason": "Local"}))
        await case.status("Available")
        await firmware_status(case, request_id, "Installing", "Installed")
        return command, await stored_statuses(case, "FirmwareStatusNotification", request_id)

    command, statuses = run_case(server, scenario)
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert statuses == ["Downloading", "Downloaded", "SignatureVerified", "InstallScheduled", "Installing", "Installed"]


# -- GetLog ------------------------------------------------------------------------------------------------
async def get_log(case: Case, log_type: str) -> tuple[int, dict[str, Any]]:
    command_id = await case.queue("get-log", {"location": LOG_LOCATION, "logType": log_type})
    action, payload = await case.next_call()
    assert (action, payload) == ("GetLog", {"logType": log_type, "requestId": payload["requestId"], "log": {"remoteLocation": LOG_LOCATION}})
    return payload["requestId"], await case.finished(command_id)


async def log_status(case: Case, request_id: int, *statuses: str) -> None:
    for status in statuses:
        assert await case.send("LogStatusNotification", {"status": status, "requestId": request_id}) == {}


def log_case(server, log_type: str) -> tuple[dict, list[str]]:
    async def scenario(case: Case):
        request_id, command = await get_log(case, log_type)
        await log_status(case, request_id, "Uploading", "Uploaded")
        return command, await stored_statuses(case, "LogStatusNotification", request_id)

    return run_case(server, scenario, {"GetLog": {"status": "Accepted", "filename": f"{log_type}.zip"}})


def test_TC_N_25_get_log_diagnostics(server):
    command, statuses = log_case(server, "DiagnosticsLog")
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted", "filename": "DiagnosticsLog.zip"}
    assert statuses == ["Uploading", "Uploaded"]


def test_TC_N_34_get_log_rejected(server):
    async def scenario(case: Case):
        request_id, command = await get_log(case, "DiagnosticsLog")
        return command, await stored_statuses(case, "LogStatusNotification", request_id)

    command, statuses = run_case(server, scenario, {"GetLog": {"status": "Rejected"}})
    assert command["status"] == "completed" and command["response"] == {"status": "Rejected"}
    assert statuses == []


def test_TC_N_35_get_log_security_log(server):
    command, statuses = log_case(server, "SecurityLog")
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted", "filename": "SecurityLog.zip"}
    assert statuses == ["Uploading", "Uploaded"]


def test_TC_N_36_get_log_second_request(server):
    async def scenario(case: Case):
        first_id, first = await get_log(case, "DiagnosticsLog")
        await log_status(case, first_id, "Uploading")
        second_id, second = await get_log(case, "DiagnosticsLog")  # the first upload is cancelled
        await log_status(case, first_id, "AcceptedCanceled")
        await log_status(case, second_id, "Uploading", "Uploaded")
        statuses = [await stored_statuses(case, "LogStatusNotification", i) for i in (first_id, second_id)]
        return first, second, first_id != second_id, *statuses

    answers = {"GetLog": answer_in_turn({"status": "Accepted", "filename": "a.zip"}, {"status": "AcceptedCanceled", "filename": "b.zip"})}
    first, second, distinct, first_statuses, second_statuses = run_case(server, scenario, answers)
    assert first["response"] == {"status": "Accepted", "filename": "a.zip"}
    assert second["status"] == "completed" and second["response"] == {"status": "AcceptedCanceled", "filename": "b.zip"}
    assert distinct  # each GetLog has its own requestId
    assert first_statuses == ["Uploading", "AcceptedCanceled"] and second_statuses == ["Uploading", "Uploaded"]


# -- CustomerInformation -----------------------------------------------------------------------------------
def customer_case(server, request: dict[str, Any], station_status: str, data: list[str]) -> tuple[tuple, dict, list[dict]]:
    """CustomerInformation through POST /call; the station answers `station_status` and reports `data` in parts."""

    async def scenario(case: Case):
        command_id = await case.queue("call", {"action": "CustomerInformation", "payload": request})
        received = await case.next_call()
        command = await case.finished(command_id)
        for seq_no, part in enumerate(data):
            notify = {"data": part, "seqNo": seq_no, "generatedAt": NOW, "requestId": request["requestId"],
                      "tbc": seq_no < len(data) - 1}
            assert await case.send("NotifyCustomerInformation", notify) == {}
        stored = [body_of(n) for n in await case.notifications("NotifyCustomerInformation")]
        return received, command, stored

    received, command, stored = run_case(server, scenario, {"CustomerInformation": {"status": station_status}})
    assert received == ("CustomerInformation", request)
    assert command["status"] == "completed" and command["response"] == {"status": station_status}
    assert [item["requestId"] for item in stored] == [request["requestId"]] * len(data)
    assert [item["data"] for item in stored] == data
    return received, command, stored


def by_token(uid: str, request_id: int, report: bool, clear: bool) -> dict[str, Any]:
    return {"requestId": request_id, "report": report, "clear": clear, "idToken": id_token(uid)}


def test_TC_N_27_customer_information_get_with_data(server):
    _, _, stored = customer_case(server, by_token("RFID-N27", 27, True, False), "Accepted",
                                 ["idToken RFID-N27: 3 transactions", "last 2026-01-01T09:00:00Z"])
    assert [item["tbc"] for item in stored] == [True, False]


def test_TC_N_28_customer_information_get_no_data(server):
    customer_case(server, by_token("RFID-N28", 28, True, False), "Accepted", ["No data"])


def test_TC_N_29_customer_information_not_accepted(server):
    customer_case(server, by_token("RFID-N29", 29, True, False), "Rejected", [])


def test_TC_N_30_customer_information_clear_with_report(server):
    customer_case(server, by_token("RFID-N30", 30, True, True), "Accepted", ["cleared: idToken RFID-N30, 3 transactions"])


def test_TC_N_31_customer_information_clear_no_data(server):
    request = {"requestId": 31, "report": True, "clear": True, "customerIdentifier": "customer-N31"}
    customer_case(server, request, "Accepted", ["No data"])


def test_TC_N_32_customer_information_clear_no_report(server):
    customer_case(server, by_token("RFID-N32", 32, False, True), "Accepted", [])
