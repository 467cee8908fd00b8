"""OCPP 2.0.1 status, meter values, reports, notifications, security and data transfer: answers and stored rows."""
from __future__ import annotations

import json

import pytest
from ocpp.exceptions import FormatViolationError, OccurrenceConstraintViolationError, PropertyConstraintViolationError

from storage import connectors, device_model, security_events
from tests.handlers.conftest import make_caller
from v201_support import CS_ID, add_station, caller, energy, rows

NOW = "2026-01-01T10:00:00Z"
COMPONENT = {"name": "EVSE", "evse": {"id": 1}}
VARIABLE = {"name": "AvailabilityState"}


@pytest.fixture
def call(store):
    add_station(store)
    store.write(lambda db: db["tokens"].insert({"uid": "TAG1", "valid": 1, "cache_mode": "ALWAYS"}))
    return caller(store)


def messages(store, action: str) -> list[dict]:
    return rows(store, "station_messages", "cs_id = ? AND action = ?", [CS_ID, action])


def test_status_notification_updates_connector_and_history(call, store):
    for status in ("Available", "Occupied"):
        payload = {"timestamp": NOW, "connectorStatus": status, "evseId": 1, "connectorId": 1}
        assert call("StatusNotification", payload) == {}
    [connector] = connectors.list_connectors(store, CS_ID)
    assert (connector["evse_id"], connector["connector_id"], connector["status"]) == (1, 1, "Occupied")
    assert connector["station_time"] == NOW and connector["error_code"] is None
    assert [row["status"] for row in connectors.status_history(store, CS_ID)] == ["Occupied", "Available"]


def test_meter_values_are_stored_per_evse(call, store):
    assert call("MeterValues", {"evseId": 0, "meterValue": [energy(5, NOW, unit="kWh")]}) == {}
    [sample] = rows(store, "meter_values")
    assert (sample["evse_id"], sample["transaction_id"], sample["value"], sample["unit"]) == (0, None, "5", "kWh")


def report(request_id: int, seq_no: int, tbc: bool, data: list[dict]) -> dict:
    return {"requestId": request_id, "generatedAt": NOW, "seqNo": seq_no, "tbc": tbc, "reportData": data}


def test_notify_report_parts_are_appended_to_the_device_model(call, store):
    first = {
        "component": COMPONENT,
        "variable": VARIABLE,
        "variableAttribute": [{"value": "Available", "mutability": "ReadOnly"}],
        "variableCharacteristics": {"dataType": "OptionList", "supportsMonitoring": True, "valuesList": "Available,Occupied"},
    }
    second = {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "HeartbeatInterval"},
        "variableAttribute": [{"value": "300"}, {"type": "Target", "value": "600", "persistent": True}],
    }
    assert call("NotifyReport", report(7, 0, True, [first])) == {}
    assert call("NotifyReport", report(7, 1, False, [second])) == {}
    variables = device_model.list_variables(store, CS_ID, 0, 10)
    keys = [(v["component"], v["evse_id"], v["variable"], v["attribute_type"], v["value"]) for v in variables]
    assert keys == [
        ("EVSE", 1, "AvailabilityState", "Actual", "Available"),
        ("OCPPCommCtrlr", 0, "HeartbeatInterval", "Actual", "300"),
        ("OCPPCommCtrlr", 0, "HeartbeatInterval", "Target", "600"),
    ]
    assert {v["request_id"] for v in variables} == {7}
    assert variables[0]["mutability"] == "ReadOnly" and variables[1]["mutability"] == "ReadWrite"
    assert json.loads(variables[0]["characteristics"])["dataType"] == "OptionList"
    assert variables[2]["persistent"] == 1
    assert [json.loads(m["body"])["tbc"] for m in messages(store, "NotifyReport")] == [True, False]
    assert device_model.list_variables(store, CS_ID, 1, 1) == variables[1:2]


def test_notify_event_updates_the_actual_value_and_is_logged(call, store):
    call("NotifyReport", report(1, 0, False, [{"component": COMPONENT, "variable": VARIABLE,
                                                "variableAttribute": [{"value": "Available", "mutability": "ReadOnly"}]}]))
    event = {"eventId": 1, "timestamp": NOW, "trigger": "Delta", "actualValue": "Unavailable",
             "component": COMPONENT, "variable": VARIABLE, "eventNotificationType": "HardWiredNotification"}
    assert call("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [event]}) == {}
    [variable] = device_model.list_variables(store, CS_ID)
    assert (variable["value"], variable["mutability"]) == ("Unavailable", "ReadOnly")
    assert json.loads(messages(store, "NotifyEvent")[0]["body"])["eventData"][0]["trigger"] == "Delta"


def test_security_event_is_stored_and_listed(call, store):
    payload = {"type": "FirmwareUpdated", "timestamp": NOW, "techInfo": "v2"}
    assert call("SecurityEventNotification", payload) == {}
    [event] = security_events.list_events(store, CS_ID)
    assert (event["kind"], event["type"], event["timestamp"], event["tech_info"]) == ("security", "FirmwareUpdated", NOW, "v2")


LOGGED = [
    ("FirmwareStatusNotification", {"status": "Downloading", "requestId": 3}, {}),
    ("PublishFirmwareStatusNotification", {"status": "Published", "location": ["http://x"], "requestId": 3}, {}),
    ("LogStatusNotification", {"status": "Uploaded", "requestId": 3}, {}),
    ("NotifyMonitoringReport", {"requestId": 3, "seqNo": 0, "generatedAt": NOW}, {}),
    ("NotifyChargingLimit", {"chargingLimit": {"chargingLimitSource": "EMS"}, "evseId": 1}, {}),
    ("ClearedChargingLimit", {"chargingLimitSource": "EMS", "evseId": 1}, {}),
    ("NotifyEVChargingNeeds", {"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "AC_three_phase"}}, {"status": "Rejected"}),
    (
        "NotifyEVChargingSchedule",
        {"timeBase": NOW, "evseId": 1, "chargingSchedule": {
            "id": 1, "chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}},
        {"status": "Accepted"},
    ),
    (
        "ReportChargingProfiles",
        {"requestId": 3, "chargingLimitSource": "CSO", "evseId": 1, "chargingProfile": [{
            "id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
            "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}]}]},
        {},
    ),
    ("ReservationStatusUpdate", {"reservationId": 9, "reservationUpdateStatus": "Expired"}, {}),
    ("NotifyCustomerInformation", {"data": "card TAG1", "seqNo": 0, "generatedAt": NOW, "requestId": 3}, {}),
    ("NotifyDisplayMessages", {"requestId": 3}, {}),
]


@pytest.mark.parametrize("action, payload, answer", LOGGED, ids=[case[0] for case in LOGGED])
def test_notification_is_answered_and_logged(call, store, action, payload, answer):
    assert call(action, payload) == answer
    [message] = messages(store, action)
    assert json.loads(message["body"]) == payload
    assert message["request_id"] == payload.get("requestId")
    assert security_events.list_events(store, CS_ID)[0]["type"] == action


def test_sign_certificate_is_rejected_and_the_csr_kept(call, store):
    payload = {"csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----", "certificateType": "ChargingStationCertificate"}
    assert call("SignCertificate", payload) == {"status": "Rejected"}
    assert json.loads(messages(store, "SignCertificate")[0]["body"]) == payload


def test_15118_certificate_request_fails_without_a_provider(call, store):
    payload = {"iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef", "action": "Install", "exiRequest": "AAEC"}
    assert call("Get15118EVCertificate", payload) == {"status": "Failed", "exiResponse": ""}
    assert len(messages(store, "Get15118EVCertificate")) == 1


def test_certificate_status_fails_without_ocsp(call, store):
    data = {"hashAlgorithm": "SHA256", "issuerNameHash": "a", "issuerKeyHash": "b", "serialNumber": "1", "responderURL": "http://ocsp"}
    assert call("GetCertificateStatus", {"ocspRequestData": data}) == {"status": "Failed"}
    assert len(messages(store, "GetCertificateStatus")) == 1


PNC = "org.openchargealliance.iso15118pnc"


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"vendorId": "com.example"}, "UnknownVendorId"),
        ({"vendorId": "com.example", "messageId": "Anything", "data": "x"}, "UnknownVendorId"),
        ({"vendorId": PNC, "messageId": "Unknown"}, "UnknownMessageId"),
        ({"vendorId": PNC}, "UnknownMessageId"),
        ({"vendorId": PNC, "messageId": "Authorize"}, "Rejected"),
        ({"vendorId": PNC, "messageId": "Authorize", "data": "not json"}, "Rejected"),
        ({"vendorId": PNC, "messageId": "Authorize", "data": json.dumps({"idToken": {}})}, "Rejected"),
    ],
)
def test_data_transfer_status(call, store, payload, status):
    assert call("DataTransfer", payload) == {"status": status}
    assert json.loads(messages(store, "DataTransfer")[0]["body"]) == payload


def test_data_transfer_with_custom_data_is_accepted(call):
    payload = {"vendorId": "com.example", "messageId": "x", "customData": {"vendorId": "com.example", "extra": 1}}
    assert call("DataTransfer", payload) == {"status": "UnknownVendorId"}


@pytest.mark.parametrize("as_text", [True, False])
def test_plug_and_charge_authorize_is_routed_like_the_native_message(call, store, as_text):
    inner = {"idToken": {"idToken": "TAG1", "type": "eMAID"}}
    answer = call("DataTransfer", {"vendorId": PNC, "messageId": "Authorize", "data": json.dumps(inner) if as_text else inner})
    assert answer["status"] == "Accepted"
    data = json.loads(answer["data"]) if as_text else answer["data"]
    assert data == {"idTokenInfo": {"status": "Accepted"}}


def test_plug_and_charge_sign_certificate_is_logged_under_its_own_action(call, store):
    inner = {"csr": "MIIB", "certificateType": "V2GCertificate"}
    answer = call("DataTransfer", {"vendorId": PNC, "messageId": "SignCertificate", "data": json.dumps(inner)})
    assert (answer["status"], json.loads(answer["data"])) == ("Accepted", {"status": "Rejected"})
    assert json.loads(messages(store, "SignCertificate")[0]["body"]) == inner


@pytest.mark.parametrize(
    "action, payload, error",
    [
        ("StatusNotification", {"timestamp": NOW, "evseId": 1, "connectorId": 1}, OccurrenceConstraintViolationError),
        ("StatusNotification", {"timestamp": NOW, "connectorStatus": "Broken", "evseId": 1, "connectorId": 1}, PropertyConstraintViolationError),
        ("SecurityEventNotification", {"type": "x", "timestamp": NOW, "extra": 1}, FormatViolationError),
    ],
)
def test_invalid_payload_is_a_callerror_and_stores_nothing(call, store, action, payload, error):
    with pytest.raises(error):
        call(action, payload)
    assert connectors.list_connectors(store, CS_ID) == [] and security_events.list_events(store, CS_ID) == []


def test_a_21_reservation_ended_without_a_transaction_is_answered(store):
    call21 = make_caller(store, CS_ID, "2.1")
    assert call21("ReservationStatusUpdate", {"reservationId": 7, "reservationUpdateStatus": "NoTransaction"}) == {}
