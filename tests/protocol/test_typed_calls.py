"""Typed REST operations built into each OCPP version's call: exact payloads, refusals and schema validity."""
from __future__ import annotations

import json
from typing import Any

import pytest
from ocpp.messages import MessageType

from protocol.validation import validate
from protocol import typed_calls as typed
from protocol.typed_calls import OPERATIONS, TypedCallError, build_call
from schemas.station_commands import TYPED_SCHEMAS

REQUEST_ID = 7
EXPIRY = "2030-01-01T12:00:00Z"
PROFILE = {
    "id": 3,
    "stackLevel": 0,
    "chargingProfilePurpose": "TxProfile",
    "chargingProfileKind": "Absolute",
    "chargingSchedule": [
        {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}
    ],
}
PROFILE_16 = {
    "chargingProfileId": 3,
    "chargingProfilePurpose": "TxProfile",
    "stackLevel": 0,
    "chargingProfileKind": "Absolute",
    "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]},
}
HASH_DATA = {"hashAlgorithm": "SHA256", "issuerNameHash": "aa", "issuerKeyHash": "bb", "serialNumber": "01"}
FIRMWARE = {"location": "https://fw.example/1.bin", "retrieveDateTime": EXPIRY}
SIGNED = {"signingCertificate": "PEM", "signature": "c2ln"}
LOG = {"location": "https://logs.example/up", "oldestTimestamp": EXPIRY}

# (operation, body, version, action, payload)
CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any]]] = [
    ("reset", {"type": "Hard"}, "1.6", "Reset", {"type": "Hard"}),
    ("reset", {"type": "OnIdle"}, "1.6", "Reset", {"type": "Soft"}),
    ("reset", {"type": "Hard", "evseId": 1}, "2.0.1", "Reset", {"type": "Immediate", "evseId": 1}),
    ("reset", {"type": "Soft"}, "2.0.1", "Reset", {"type": "OnIdle"}),
    (
        "remoteStart",
        {"idToken": "TAG1", "evseId": 2},
        "1.6",
        "RemoteStartTransaction",
        {"idTag": "TAG1", "connectorId": 2},
    ),
    (
        "remoteStart",
        {"idToken": "TAG1", "evseId": 1, "chargingProfile": PROFILE},
        "1.6",
        "RemoteStartTransaction",
        {"idTag": "TAG1", "connectorId": 1, "chargingProfile": PROFILE_16},
    ),
    (
        "remoteStart",
        {"idToken": "TAG1"},
        "2.0.1",
        "RequestStartTransaction",
        {"idToken": {"idToken": "TAG1", "type": "Central"}, "remoteStartId": REQUEST_ID},
    ),
    (
        "remoteStart",
        {"idToken": "TAG1", "idTokenType": "ISO14443", "evseId": 1, "chargingProfile": PROFILE},
        "2.0.1",
        "RequestStartTransaction",
        {
            "idToken": {"idToken": "TAG1", "type": "ISO14443"},
            "remoteStartId": REQUEST_ID,
            "evseId": 1,
            "chargingProfile": PROFILE,
        },
    ),
    ("remoteStop", {"transactionId": "42"}, "1.6", "RemoteStopTransaction", {"transactionId": 42}),
    ("remoteStop", {"transactionId": 42}, "1.6", "RemoteStopTransaction", {"transactionId": 42}),
    ("remoteStop", {"transactionId": "tx-1"}, "2.0.1", "RequestStopTransaction", {"transactionId": "tx-1"}),
    (
        "changeAvailability",
        {"operationalStatus": "Inoperative"},
        "1.6",
        "ChangeAvailability",
        {"connectorId": 0, "type": "Inoperative"},
    ),
    (
        "changeAvailability",
        {"operationalStatus": "Operative", "evseId": 2},
        "1.6",
        "ChangeAvailability",
        {"connectorId": 2, "type": "Operative"},
    ),
    (
        "changeAvailability",
        {"operationalStatus": "Operative"},
        "2.0.1",
        "ChangeAvailability",
        {"operationalStatus": "Operative"},
    ),
    (
        "changeAvailability",
        {"operationalStatus": "Inoperative", "evseId": 1, "connectorId": 2},
        "2.0.1",
        "ChangeAvailability",
        {"operationalStatus": "Inoperative", "evse": {"id": 1, "connectorId": 2}},
    ),
    ("unlockConnector", {"evseId": 2}, "1.6", "UnlockConnector", {"connectorId": 2}),
    ("unlockConnector", {"evseId": 2}, "2.0.1", "UnlockConnector", {"evseId": 2, "connectorId": 1}),
    ("unlockConnector", {"evseId": 2, "connectorId": 3}, "2.0.1", "UnlockConnector", {"evseId": 2, "connectorId": 3}),
    ("getConfiguration", {}, "1.6", "GetConfiguration", {}),
    ("getConfiguration", {"keys": ["HeartbeatInterval"]}, "1.6", "GetConfiguration", {"key": ["HeartbeatInterval"]}),
    (
        "getConfiguration",
        {"keys": ["OCPPCommCtrlr/HeartbeatInterval", "EVSE;1;1/Power;MaxSet"]},
        "2.0.1",
        "GetVariables",
        {
            "getVariableData": [
                {
                    "attributeType": "Actual",
                    "component": {"name": "OCPPCommCtrlr"},
                    "variable": {"name": "HeartbeatInterval"},
                },
                {
                    "attributeType": "MaxSet",
                    "component": {"name": "EVSE", "instance": "1", "evse": {"id": 1}},
                    "variable": {"name": "Power"},
                },
            ]
        },
    ),
    (
        "getBaseReport",
        {"reportBase": "FullInventory"},
        "2.0.1",
        "GetBaseReport",
        {"requestId": REQUEST_ID, "reportBase": "FullInventory"},
    ),
    ("clearCache", {}, "1.6", "ClearCache", {}),
    ("clearCache", {}, "2.0.1", "ClearCache", {}),
    ("getLocalListVersion", {}, "1.6", "GetLocalListVersion", {}),
    ("getLocalListVersion", {}, "2.0.1", "GetLocalListVersion", {}),
    (
        "reserveNow",
        {"reservationId": 5, "expiryDateTime": EXPIRY, "idToken": "TAG1", "parentIdTag": "GROUP"},
        "1.6",
        "ReserveNow",
        {"connectorId": 0, "reservationId": 5, "parentIdTag": "GROUP", "expiryDate": EXPIRY, "idTag": "TAG1"},
    ),
    (
        "reserveNow",
        {"reservationId": 5, "expiryDateTime": EXPIRY, "idToken": "TAG1", "evseId": 1, "parentIdTag": "GROUP"},
        "2.0.1",
        "ReserveNow",
        {
            "id": 5,
            "expiryDateTime": EXPIRY,
            "idToken": {"idToken": "TAG1", "type": "Central"},
            "groupIdToken": {"idToken": "GROUP", "type": "Central"},
            "evseId": 1,
        },
    ),
    ("cancelReservation", {"reservationId": 5}, "1.6", "CancelReservation", {"reservationId": 5}),
    ("cancelReservation", {"reservationId": 5}, "2.0.1", "CancelReservation", {"reservationId": 5}),
    ("clearChargingProfile", {}, "1.6", "ClearChargingProfile", {}),
    (
        "clearChargingProfile",
        {"id": 3, "evseId": 1, "purpose": "ChargingStationMaxProfile", "stackLevel": 2},
        "1.6",
        "ClearChargingProfile",
        {"id": 3, "connectorId": 1, "chargingProfilePurpose": "ChargePointMaxProfile", "stackLevel": 2},
    ),
    ("clearChargingProfile", {"id": 3}, "2.0.1", "ClearChargingProfile", {"chargingProfileId": 3}),
    (
        "clearChargingProfile",
        {"evseId": 0, "purpose": "ChargingStationMaxProfile"},
        "2.0.1",
        "ClearChargingProfile",
        {"chargingProfileCriteria": {"evseId": 0, "chargingProfilePurpose": "ChargingStationMaxProfile"}},
    ),
    (
        "getCompositeSchedule",
        {"evseId": 1, "duration": 3600, "chargingRateUnit": "W"},
        "1.6",
        "GetCompositeSchedule",
        {"connectorId": 1, "duration": 3600, "chargingRateUnit": "W"},
    ),
    (
        "getCompositeSchedule",
        {"evseId": 1, "duration": 3600},
        "2.0.1",
        "GetCompositeSchedule",
        {"evseId": 1, "duration": 3600},
    ),
    (
        "updateFirmware",
        FIRMWARE | {"retries": 3},
        "1.6",
        "UpdateFirmware",
        {"location": FIRMWARE["location"], "retrieveDate": EXPIRY, "retries": 3},
    ),
    (
        "updateFirmware",
        FIRMWARE | SIGNED | {"installDateTime": EXPIRY, "retryInterval": 60},
        "1.6",
        "SignedUpdateFirmware",
        {"requestId": REQUEST_ID, "firmware": FIRMWARE | SIGNED | {"installDateTime": EXPIRY}, "retryInterval": 60},
    ),
    ("updateFirmware", FIRMWARE, "2.0.1", "UpdateFirmware", {"requestId": REQUEST_ID, "firmware": FIRMWARE}),
    (
        "getLog",
        LOG | {"latestTimestamp": EXPIRY, "retries": 1},
        "1.6",
        "GetDiagnostics",
        {"location": LOG["location"], "startTime": EXPIRY, "stopTime": EXPIRY, "retries": 1},
    ),
    (
        "getLog",
        LOG | {"logType": "SecurityLog"},
        "1.6",
        "GetLog",
        {
            "logType": "SecurityLog",
            "requestId": REQUEST_ID,
            "log": {"remoteLocation": LOG["location"], "oldestTimestamp": EXPIRY},
        },
    ),
    (
        "getLog",
        LOG,
        "2.0.1",
        "GetLog",
        {
            "logType": "DiagnosticsLog",
            "requestId": REQUEST_ID,
            "log": {"remoteLocation": LOG["location"], "oldestTimestamp": EXPIRY},
        },
    ),
    ("deleteCertificate", HASH_DATA, "1.6", "DeleteCertificate", {"certificateHashData": HASH_DATA}),
    ("deleteCertificate", HASH_DATA, "2.0.1", "DeleteCertificate", {"certificateHashData": HASH_DATA}),
    (
        "getInstalledCertificateIds",
        {"certificateType": "CSMSRootCertificate"},
        "1.6",
        "GetInstalledCertificateIds",
        {"certificateType": "CentralSystemRootCertificate"},
    ),
    (
        "getInstalledCertificateIds",
        {"certificateType": "ManufacturerRootCertificate"},
        "1.6",
        "GetInstalledCertificateIds",
        {"certificateType": "ManufacturerRootCertificate"},
    ),
    ("getInstalledCertificateIds", {}, "2.0.1", "GetInstalledCertificateIds", {}),
    (
        "getInstalledCertificateIds",
        {"certificateType": "V2GCertificateChain"},
        "2.0.1",
        "GetInstalledCertificateIds",
        {"certificateType": ["V2GCertificateChain"]},
    ),
    ("dataTransfer", {"vendorId": "acme", "data": "raw"}, "1.6", "DataTransfer", {"vendorId": "acme", "data": "raw"}),
    (
        "dataTransfer",
        {"vendorId": "acme", "messageId": "m", "data": {"a": [1]}},
        "1.6",
        "DataTransfer",
        {"vendorId": "acme", "messageId": "m", "data": json.dumps({"a": [1]})},
    ),
    (
        "dataTransfer",
        {"vendorId": "acme", "messageId": "m", "data": {"a": [1]}},
        "2.0.1",
        "DataTransfer",
        {"vendorId": "acme", "messageId": "m", "data": {"a": [1]}},
    ),
    (
        "triggerMessage",
        {"requestedMessage": "StatusNotification", "evseId": 1},
        "1.6",
        "TriggerMessage",
        {"requestedMessage": "StatusNotification", "connectorId": 1},
    ),
    (
        "triggerMessage",
        {"requestedMessage": "DiagnosticsStatusNotification"},
        "1.6",
        "TriggerMessage",
        {"requestedMessage": "DiagnosticsStatusNotification"},
    ),
    (
        "triggerMessage",
        {"requestedMessage": "LogStatusNotification"},
        "1.6",
        "ExtendedTriggerMessage",
        {"requestedMessage": "LogStatusNotification"},
    ),
    (
        "triggerMessage",
        {"requestedMessage": "SignChargingStationCertificate"},
        "1.6",
        "ExtendedTriggerMessage",
        {"requestedMessage": "SignChargePointCertificate"},
    ),
    ("triggerMessage", {"requestedMessage": "Heartbeat"}, "2.0.1", "TriggerMessage", {"requestedMessage": "Heartbeat"}),
    (
        "triggerMessage",
        {"requestedMessage": "StatusNotification", "evseId": 1, "connectorId": 2},
        "2.0.1",
        "TriggerMessage",
        {"requestedMessage": "StatusNotification", "evse": {"id": 1, "connectorId": 2}},
    ),
]

# What the station's version cannot carry (the body's shape is its schema's job: tests/api/test_station_commands.py)
# (operation, body, version, words the message must contain)
ERRORS: list[tuple[str, Any, str, str]] = [
    ("remoteStart", {"idToken": "T" * 21}, "1.6", "idTag"),
    (
        "remoteStart",
        {"idToken": "TAG1", "chargingProfile": PROFILE | {"chargingProfilePurpose": "TxDefaultProfile"}},
        "2.0.1",
        "TxProfile",
    ),
    (
        "remoteStart",
        {"idToken": "TAG1", "chargingProfile": {"id": 1}},
        "1.6",
        "chargingProfile: OCPP 2.0.1 SetChargingProfile",
    ),
    (
        "remoteStart",
        {"idToken": "TAG1", "chargingProfile": PROFILE | {"chargingSchedule": PROFILE["chargingSchedule"] * 2}},
        "1.6",
        "one charging schedule",
    ),
    ("remoteStop", {"transactionId": "tx-1"}, "1.6", "is not an OCPP 1.6 transaction id"),
    (
        "changeAvailability",
        {"operationalStatus": "Operative", "connectorId": 1},
        "2.0.1",
        "connectorId needs an evseId",
    ),
    ("getConfiguration", {}, "2.0.1", "at least one name"),
    ("getConfiguration", {"keys": ["NoSlash"]}, "2.0.1", "'NoSlash' is not <component>"),
    ("getBaseReport", {"reportBase": "FullInventory"}, "1.6", "GetBaseReport has no OCPP 1.6 form"),
    ("clearChargingProfile", {"purpose": "ChargingStationExternalConstraints"}, "1.6", "no OCPP 1.6 form"),
    ("updateFirmware", FIRMWARE | {"installDateTime": EXPIRY}, "1.6", "installDateTime needs a signed update"),
    ("updateFirmware", FIRMWARE | {"signature": "c2ln"}, "1.6", "signingCertificate"),
    ("getInstalledCertificateIds", {}, "1.6", "certificateType is required for OCPP 1.6"),
    (
        "getInstalledCertificateIds",
        {"certificateType": "V2GRootCertificate"},
        "1.6",
        "V2GRootCertificate has no OCPP 1.6 form",
    ),
    (
        "triggerMessage",
        {"requestedMessage": "TransactionEvent"},
        "1.6",
        "TriggerMessage TransactionEvent has no OCPP 1.6 form",
    ),
    ("triggerMessage", {"requestedMessage": "DiagnosticsStatusNotification"}, "2.0.1", "OCPP 2.0.1 TriggerMessage"),
    ("nonsense", {}, "1.6", "unknown operation 'nonsense'"),
    ("reset", {"type": "Hard"}, "9.9", "OCPP version '9.9'"),
]


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typed, "_new_id", lambda: REQUEST_ID)


@pytest.mark.parametrize(
    ("operation", "body", "version", "action", "payload"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{c[3]}-{i}" for i, c in enumerate(CASES)],
)
def test_builds_the_exact_call_and_it_validates(operation, body, version, action, payload):
    assert build_call(operation, body, version) == (action, payload)
    validate(MessageType.Call, action, payload, version)


@pytest.mark.parametrize(
    ("operation", "body", "version", "words"), ERRORS, ids=[f"{e[0]}-{e[2]}-{i}" for i, e in enumerate(ERRORS)]
)
def test_refuses_with_a_clear_message(operation, body, version, words):
    with pytest.raises(TypedCallError) as raised:
        build_call(operation, body, version)
    assert words in str(raised.value)


CASES_201 = [case for case in CASES if case[2] == "2.0.1"]


@pytest.mark.parametrize(
    ("operation", "body", "version", "action", "payload"), CASES_201, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES_201)]
)
def test_21_gets_the_201_call_checked_against_the_21_schema(operation, body, version, action, payload):
    assert build_call(operation, body, "2.1") == (action, payload)
    validate(MessageType.Call, action, payload, "2.1")


def test_every_operation_is_covered_in_each_version():
    covered = {(case[0], case[2]) for case in CASES + ERRORS}
    covered |= {(operation, "2.1") for operation, version in covered if version == "2.0.1"}
    assert {(operation, version) for operation in OPERATIONS for version in typed.VERSIONS} <= covered


def test_every_operation_has_a_description_and_a_body_schema():
    assert set(TYPED_SCHEMAS) == set(OPERATIONS)
    assert all(operation.description and callable(operation.build) for operation in OPERATIONS.values())


def test_ids_are_random_positive_integers(monkeypatch):
    monkeypatch.undo()
    ids = {build_call("remoteStart", {"idToken": "T"}, "2.0.1")[1]["remoteStartId"] for _ in range(5)}
    assert len(ids) > 1 and all(isinstance(i, int) and 0 < i < 2**31 for i in ids)
