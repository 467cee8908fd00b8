"""How queued commands become OCPP calls per version, and the 2.0.1 → 1.6 charging profile conversion."""
from __future__ import annotations

import json

import pytest

from outbox.plan import plan_calls
from protocol.charging_profiles import to_ocpp16
from protocol.errors import NotExpressible
from protocol.settings import parse_variable_name
from protocol.versions import OCA_PNC_VENDOR
from outbox.results import setting_statuses

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def command(operation: str, params: dict) -> dict:
    return {"id": 1, "operation": operation, "params": params, "attempts": 0}


def test_reconfigure_16_is_one_change_configuration_per_key_with_hex_password():
    calls = plan_calls(command("reconfigure", {"HeartbeatInterval": "60", "AuthorizationKey": "0123456789abcdef"}), "1.6")
    assert [(c.action, c.payload) for c in calls] == [
        ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"}),
        ("ChangeConfiguration", {"key": "AuthorizationKey", "value": "0123456789abcdef".encode().hex()}),
    ]


def test_reconfigure_201_is_batched_set_variables():
    settings = {f"OCPPCommCtrlr/Var{i}": str(i) for i in range(5)}
    calls = plan_calls(command("reconfigure", settings), "2.0.1", batch_size=2)
    assert [len(c.payload["setVariableData"]) for c in calls] == [2, 2, 1]
    assert calls[0].payload["setVariableData"][0] == {
        "attributeType": "Actual", "attributeValue": "0",
        "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "Var0"},
    }


@pytest.mark.parametrize(
    "name, parts",
    [
        ("C/V", ("C", None, None, "V", None, "Actual")),
        ("C;ci/V", ("C", "ci", None, "V", None, "Actual")),
        ("C;ci;2/V;vi;Target", ("C", "ci", 2, "V", "vi", "Target")),
        ("C/V;MaxSet", ("C", None, None, "V", None, "MaxSet")),
    ],
)
def test_variable_names(name, parts):
    parsed = parse_variable_name(name)
    assert (parsed.component, parsed.component_instance, parsed.evse_id, parsed.variable, parsed.variable_instance, parsed.attribute_type) == parts


@pytest.mark.parametrize("name", ["NoSlash", "C/V;vi;Bogus", "C;ci;x/V", "C/V/W", "C#/V"])
def test_bad_variable_names(name):
    with pytest.raises(NotExpressible):
        parse_variable_name(name)


def test_set_variables_answer_maps_back_to_names():
    calls = plan_calls(command("reconfigure", {"C;ci;1/V": "1", "D/W;Target": "2"}), "2.0.1")
    answer = {"setVariableResult": [
        {"attributeType": "Target", "attributeStatus": "RebootRequired", "component": {"name": "D"}, "variable": {"name": "W"}},
        {"attributeStatus": "Accepted", "component": {"name": "C", "instance": "ci", "evse": {"id": 1}}, "variable": {"name": "V"}},
    ]}
    assert setting_statuses("2.0.1", calls[0], answer) == {"C;ci;1/V": "Accepted", "D/W;Target": "RebootRequired"}


@pytest.mark.parametrize(
    "version, trigger, action, payload",
    [
        ("1.6", "BootNotification", "TriggerMessage", {"requestedMessage": "BootNotification"}),
        ("1.6", "SignChargingStationCertificate", "ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"}),
        ("1.6", "SignV2GCertificate", "DataTransfer", {"vendorId": OCA_PNC_VENDOR, "messageId": "TriggerMessage",
                                                       "data": json.dumps({"requestedMessage": "SignV2GCertificate"})}),
        ("2.0.1", "SignCombinedCertificate", "TriggerMessage", {"requestedMessage": "SignCombinedCertificate"}),
    ],
)
def test_triggers(version, trigger, action, payload):
    [call] = plan_calls(command("trigger", {"trigger": trigger}), version)
    assert (call.action, call.payload) == (action, payload)


@pytest.mark.parametrize(
    "version, cert_type, variant, action, certificate_type",
    [
        ("2.0.1", "MF", None, "InstallCertificate", "ManufacturerRootCertificate"),
        ("1.6", "CSMS", None, "InstallCertificate", "CentralSystemRootCertificate"),
        ("1.6", "CSMS", "oca", "DataTransfer", "CSMSRootCertificate"),
        ("1.6", "V2G", None, "DataTransfer", "V2GRootCertificate"),
    ],
)
def test_certificate_installs(version, cert_type, variant, action, certificate_type):
    params = {"type": cert_type, "certificate": PEM} | ({"variant": variant} if variant else {})
    [call] = plan_calls(command("installCertificate", params), version)
    assert call.action == action
    body = json.loads(call.payload["data"]) if action == "DataTransfer" else call.payload
    assert body == {"certificateType": certificate_type, "certificate": PEM}


PROFILE = {
    "id": 7, "stackLevel": 1, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Absolute",
    "transactionId": "123",
    "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [
        {"startPeriod": 60, "limit": 10.04}, {"startPeriod": 0, "limit": 16, "numberPhases": 3}]}],
}


def test_profile_to_16_keeps_what_16_has():
    converted = to_ocpp16({"evseId": 0, "chargingProfile": PROFILE}, lambda tx: 2 if tx == "123" else None)
    assert converted == {"connectorId": 2, "csChargingProfiles": {
        "chargingProfileId": 7, "stackLevel": 1, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Absolute",
        "transactionId": 123,
        "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [
            {"startPeriod": 0, "limit": 16.0, "numberPhases": 3}, {"startPeriod": 60, "limit": 10.0}]}}}


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"chargingProfilePurpose": "ChargingStationExternalConstraints"}, "no OCPP 1.6 equivalent"),
        ({"chargingSchedule": PROFILE["chargingSchedule"] * 2}, "one charging schedule"),
        ({"transactionId": "abc"}, "not an OCPP 1.6 transaction id"),
        ({"transactionId": "999"}, "not an active transaction"),
        ({"chargingSchedule": [{**PROFILE["chargingSchedule"][0], "salesTariff": {}}]}, "salesTariff"),
    ],
)
def test_profiles_16_cannot_carry(change, reason):
    with pytest.raises(NotExpressible, match=reason):
        to_ocpp16({"evseId": 1, "chargingProfile": {**PROFILE, **change}}, lambda tx: 2 if tx == "123" else None)
