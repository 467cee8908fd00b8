"""OCPP 1.6 station messages through our real routing, validation and SQLite store."""
from __future__ import annotations

import json

import pytest
from ocpp.exceptions import OCPPError

from config import Config
from protocol.errors import error_code
from tests.handlers.conftest import CS_ID, add_token, make_caller

NOW = "2026-11-27T10:00:00Z"


def rows(store, sql, args=()):
    return store.read(lambda db: [dict(zip([c[0] for c in cur.description], r)) for cur in [db.execute(sql, args)] for r in cur.fetchall()])


def test_boot_notification_stores_station_facts(call16, store):
    answer = call16(
        "BootNotification",
        {"chargePointVendor": "ACME", "chargePointModel": "M1", "chargePointSerialNumber": "S1",
         "firmwareVersion": "1.2", "iccid": "89", "imsi": "24"},
    )
    assert answer["status"] == "Accepted" and answer["interval"] == 300
    station = rows(store, "SELECT * FROM stations WHERE id = ?", [CS_ID])[0]
    assert (station["vendor"], station["model"], station["serial_number"], station["boot_status"]) == ("ACME", "M1", "S1", "Accepted")
    assert (station["firmware_version"], station["iccid"], station["imsi"]) == ("1.2", "89", "24")


@pytest.mark.parametrize(
    "token, expected",
    [
        (None, {"status": "Invalid"}),
        ({"valid": False}, {"status": "Blocked"}),
        ({"valid": True}, {"status": "Accepted"}),
        ({"valid": True, "group_id": "GROUP-1"}, {"status": "Accepted", "parentIdTag": "GROUP-1"}),
    ],
)
def test_authorize_answers_from_the_token_store(call16, store, token, expected):
    if token is not None:
        add_token(store, "TAG1", **token)
    assert call16("Authorize", {"idTag": "TAG1"})["idTagInfo"] == expected


def test_authorize_cache_mode_never_expires_at_once(call16, store):
    add_token(store, "TAG2", cache_mode="NEVER")
    info = call16("Authorize", {"idTag": "TAG2"})["idTagInfo"]
    assert info["status"] == "Accepted" and info["expiryDate"].endswith("Z")


def test_full_transaction_is_stored_with_meter_values(call16, store):
    add_token(store, "TAG3")
    started = call16("StartTransaction", {"connectorId": 1, "idTag": "TAG3", "meterStart": 1000, "timestamp": NOW})
    assert started["idTagInfo"]["status"] == "Accepted"
    tx_id = started["transactionId"]
    assert 0 < tx_id < 2**31
    call16("MeterValues", {"connectorId": 1, "transactionId": tx_id, "meterValue": [
        {"timestamp": NOW, "sampledValue": [
            {"value": "1500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
            {"value": "16.1", "measurand": "Current.Import", "unit": "A", "phase": "L1"},
        ]}]})
    stopped = call16("StopTransaction", {"transactionId": tx_id, "meterStop": 4500, "timestamp": NOW, "idTag": "TAG3",
                                         "transactionData": [{"timestamp": NOW, "sampledValue": [{"value": "4500"}]}]})
    assert stopped == {"idTagInfo": {"status": "Accepted"}}
    tx = rows(store, "SELECT * FROM transactions WHERE transaction_id = ?", [str(tx_id)])[0]
    assert (tx["status"], tx["meter_start"], tx["meter_stop"], tx["energy"], tx["stop_reason"]) == ("ended", 1000, 4500, 3500, "Local")
    assert (tx["evse_id"], tx["connector_id"], tx["id_token"]) == (1, 1, "TAG3")
    values = rows(store, "SELECT * FROM meter_values WHERE transaction_id = ? ORDER BY id", [str(tx_id)])
    assert [(v["value"], v["measurand"], v["phase"], v["unit"]) for v in values] == [
        ("1500", "Energy.Active.Import.Register", None, "Wh"),
        ("16.1", "Current.Import", "L1", "A"),
        ("4500", None, None, None),
    ]


def test_refused_token_still_gets_its_own_transaction(call16, store):
    first = call16("StartTransaction", {"connectorId": 1, "idTag": "UNKNOWN", "meterStart": 0, "timestamp": NOW})
    second = call16("StartTransaction", {"connectorId": 2, "idTag": "UNKNOWN", "meterStart": 0, "timestamp": NOW})
    assert first["idTagInfo"]["status"] == "Invalid"
    assert first["transactionId"] != second["transactionId"]
    statuses = rows(store, "SELECT auth_status FROM transactions WHERE cs_id = ?", [CS_ID])
    assert [s["auth_status"] for s in statuses] == ["Invalid", "Invalid"]


def test_repeated_identical_start_gets_the_same_id(call16):
    start = {"connectorId": 1, "idTag": "T", "meterStart": 7, "timestamp": NOW}
    assert call16("StartTransaction", start)["transactionId"] == call16("StartTransaction", start)["transactionId"]


def test_station_cannot_stop_another_stations_transaction(call16, store):
    other = "CS-OTHER"
    store.write(lambda db: db["stations"].insert({"id": other, "security_profile": 0, "invalid_username_allowed": 0}))
    call_other = make_caller(store, other, "1.6")
    tx_id = call_other("StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": NOW})["transactionId"]
    assert call16("StopTransaction", {"transactionId": tx_id, "meterStop": 10, "timestamp": NOW}) == {}
    tx = rows(store, "SELECT status, cs_id FROM transactions WHERE transaction_id = ?", [str(tx_id)])[0]
    assert tx == {"status": "active", "cs_id": other}


def test_second_stop_changes_nothing(call16, store):
    tx_id = call16("StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": NOW})["transactionId"]
    call16("StopTransaction", {"transactionId": tx_id, "meterStop": 10, "timestamp": NOW, "reason": "Remote"})
    call16("StopTransaction", {"transactionId": tx_id, "meterStop": 99, "timestamp": NOW})
    tx = rows(store, "SELECT meter_stop, stop_reason FROM transactions WHERE transaction_id = ?", [str(tx_id)])[0]
    assert tx == {"meter_stop": 10, "stop_reason": "Remote"}


def test_concurrent_tx_when_configured(store, station):
    call = make_caller(store, station, "1.6", Config(db_path=store.path, concurrent_tx_check=True))
    add_token(store, "TAG4")
    call("StartTransaction", {"connectorId": 1, "idTag": "TAG4", "meterStart": 0, "timestamp": NOW})
    second = call("StartTransaction", {"connectorId": 2, "idTag": "TAG4", "meterStart": 0, "timestamp": NOW})
    assert second["idTagInfo"]["status"] == "ConcurrentTx"


def test_meter_values_for_a_foreign_transaction_are_not_linked(call16, store):
    call16("MeterValues", {"connectorId": 1, "transactionId": 424242, "meterValue": [
        {"timestamp": NOW, "sampledValue": [{"value": "1"}]}]})
    assert rows(store, "SELECT transaction_id, evse_id FROM meter_values") == [{"transaction_id": None, "evse_id": 1}]


@pytest.mark.parametrize("connector, evse_and_connector", [(0, (0, 0)), (2, (2, 1))])
def test_status_notification_per_connector(call16, store, connector, evse_and_connector):
    call16("StatusNotification", {"connectorId": connector, "errorCode": "NoError", "status": "Available", "timestamp": NOW})
    call16("StatusNotification", {"connectorId": connector, "errorCode": "GroundFailure", "status": "Faulted", "info": "x"})
    saved = rows(store, "SELECT evse_id, connector_id, status, error_code, info FROM connectors")
    assert saved == [{"evse_id": evse_and_connector[0], "connector_id": evse_and_connector[1],
                      "status": "Faulted", "error_code": "GroundFailure", "info": "x"}]
    assert len(rows(store, "SELECT * FROM status_history")) == 2


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"vendorId": "com.example"}, "UnknownVendorId"),
        ({"vendorId": "org.openchargealliance.iso15118pnc", "messageId": "Nope"}, "UnknownMessageId"),
        ({"vendorId": "org.openchargealliance.iso15118pnc", "messageId": "Authorize"}, "Rejected"),
        ({"vendorId": "org.openchargealliance.iso15118pnc", "messageId": "Authorize", "data": "{not json"}, "Rejected"),
    ],
)
def test_data_transfer_routing(call16, store, payload, status):
    assert call16("DataTransfer", payload)["status"] == status
    assert rows(store, "SELECT action FROM station_messages") == [{"action": "DataTransfer"}]


def test_data_transfer_plug_and_charge_authorize_answers_inner_json(call16, store):
    add_token(store, "EMAID1")
    inner = {"idToken": {"idToken": "EMAID1", "type": "eMAID"}}
    answer = call16("DataTransfer", {"vendorId": "org.openchargealliance.iso15118pnc", "messageId": "Authorize",
                                     "data": json.dumps(inner)})
    assert answer["status"] == "Accepted"
    assert json.loads(answer["data"])["idTokenInfo"]["status"] == "Accepted"


@pytest.mark.parametrize(
    "action, payload",
    [
        ("DiagnosticsStatusNotification", {"status": "Uploaded"}),
        ("FirmwareStatusNotification", {"status": "Installed"}),
        ("SignedFirmwareStatusNotification", {"status": "Installed", "requestId": 4}),
        ("LogStatusNotification", {"status": "Uploaded", "requestId": 5}),
    ],
)
def test_notifications_are_stored(call16, store, action, payload):
    assert call16(action, payload) == {}
    saved = rows(store, "SELECT action, request_id, body FROM station_messages")
    assert saved == [{"action": action, "request_id": payload.get("requestId"), "body": json.dumps(payload, separators=(",", ":"))}]


def test_security_event_is_stored(call16, store):
    call16("SecurityEventNotification", {"type": "FirmwareUpdated", "timestamp": NOW, "techInfo": "v2"})
    assert rows(store, "SELECT type, timestamp, tech_info, source FROM security_events") == [
        {"type": "FirmwareUpdated", "timestamp": NOW, "tech_info": "v2", "source": "station"}]


def test_sign_certificate_rejected_without_a_ca(call16):
    assert call16("SignCertificate", {"csr": "-----BEGIN CERTIFICATE REQUEST-----"}) == {"status": "Rejected"}


@pytest.mark.parametrize(
    "action, payload, code",
    [
        ("StartTransaction", {"connectorId": 1, "idTag": "T", "timestamp": NOW}, "ProtocolError"),
        ("StartTransaction", {"connectorId": "1", "idTag": "T", "meterStart": 0, "timestamp": NOW}, "TypeConstraintViolation"),
        ("StartTransaction", {"connectorId": 1, "idTag": "T" * 21, "meterStart": 0, "timestamp": NOW}, "TypeConstraintViolation"),
        ("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Sleeping"}, "PropertyConstraintViolation"),
        ("Heartbeat", {"extra": 1}, "FormationViolation"),
        ("GetConfiguration", {}, "NotSupported"),
        ("FetchTheCoffee", {}, "NotImplemented"),
    ],
)
def test_bad_payloads_get_the_16_spelling(call16, action, payload, code):
    with pytest.raises(OCPPError) as raised:
        call16(action, payload)
    assert error_code(raised.value, "1.6") == code


def test_status_notifications_are_linked_to_the_command_they_report_on(call16, store):
    def sent(action, request):
        return store.write(lambda db: db["commands"].insert({
            "cs_id": CS_ID, "operation": "call", "status": "completed", "action": action,
            "request": json.dumps(request)}).last_pk)

    diagnostics = sent("GetDiagnostics", {"location": "ftp://x"})
    log_request = sent("GetLog", {"logType": "SecurityLog", "requestId": 7, "log": {"remoteLocation": "ftp://x"}})
    sent("GetLog", {"logType": "SecurityLog", "requestId": 8, "log": {"remoteLocation": "ftp://x"}})
    call16("DiagnosticsStatusNotification", {"status": "Uploading"})
    call16("LogStatusNotification", {"status": "Uploaded", "requestId": 7})
    call16("FirmwareStatusNotification", {"status": "Idle"})
    linked = rows(store, "SELECT action, command_id FROM station_messages ORDER BY id")
    assert linked == [
        {"action": "DiagnosticsStatusNotification", "command_id": diagnostics},
        {"action": "LogStatusNotification", "command_id": log_request},
        {"action": "FirmwareStatusNotification", "command_id": None},
    ]
