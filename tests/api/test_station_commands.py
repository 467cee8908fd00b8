"""POST /cs/{csId}/call and the typed command endpoints: validation per OCPP version, queued commands."""
from __future__ import annotations

import pytest

from protocol.typed_calls import OPERATIONS
from storage import station_runtime


@pytest.fixture
def stations(client, store):
    for cs_id, version in (("cs16", "1.6"), ("cs201", "2.0.1"), ("new", None)):
        assert client.post(f"/api/v0/cs/{cs_id}", json={"securityProfile": 0}).status_code == 201
        if version:
            station_runtime.mark_connected(store, cs_id, version, None)
    return client


@pytest.mark.parametrize(
    "cs_id, path, body, action, payload",
    [
        ("cs16", "call", {"action": "GetConfiguration", "payload": {"key": ["HeartbeatInterval"]}},
         "GetConfiguration", {"key": ["HeartbeatInterval"]}),
        ("cs201", "call", {"action": "GetBaseReport", "payload": {"requestId": 1, "reportBase": "FullInventory"}},
         "GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"}),
        ("cs16", "reset", {"type": "Immediate"}, "Reset", {"type": "Hard"}),
        ("cs201", "reset", {"type": "Soft"}, "Reset", {"type": "OnIdle"}),
        ("cs16", "unlock-connector", {"evseId": 2}, "UnlockConnector", {"connectorId": 2}),
        ("cs201", "clear-cache", {}, "ClearCache", {}),
        ("cs16", "change-availability", {"operationalStatus": "Inoperative", "evseId": 1},
         "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}),
    ],
)
def test_queued_as_the_versions_call(stations, cs_id, path, body, action, payload):
    response = stations.post(f"/api/v0/cs/{cs_id}/{path}", json=body)
    assert response.status_code == 202, response.json
    command = response.json
    assert (command["status"], command["operation"], command["params"]) == ("pending", "call", {"action": action, "payload": payload})
    listed = stations.get(f"/api/v0/cs/{cs_id}/commands/{command['id']}").json
    assert listed["id"] == command["id"]


@pytest.mark.parametrize(
    "cs_id, path, body, error",
    [
        ("cs16", "call", {"action": "BootNotification", "payload": {}}, "not a CSMS-initiated OCPP 1.6 action"),
        ("cs16", "call", {"action": "GetBaseReport", "payload": {}}, "not a CSMS-initiated OCPP 1.6 action"),
        ("cs201", "call", {"action": "Reset", "payload": {"type": "Hard"}}, "body.payload"),
        ("cs201", "call", {"action": "Reset"}, "body.payload"),
        ("cs16", "reset", {"type": "Sometime"}, "body.type"),
        ("cs16", "get-base-report", {"reportBase": "FullInventory"}, "no OCPP 1.6 form"),
        ("cs201", "remote-stop", {}, "body.transactionId"),
        ("cs16", "remote-stop", {"transactionId": "abc"}, "transactionId"),
        ("cs16", "send-local-list", {"listVersion": 1, "updateType": "Full", "tokens": ["nobody"]}, "nobody"),
    ],
)
def test_bad_bodies_are_400(stations, cs_id, path, body, error):
    response = stations.post(f"/api/v0/cs/{cs_id}/{path}", json=body)
    assert response.status_code == 400
    assert error in response.json["error"]


HASH_DATA = {"hashAlgorithm": "MD5", "issuerNameHash": "a", "issuerKeyHash": "b", "serialNumber": "c"}


@pytest.mark.parametrize(
    "path, body, error",
    [
        ("reset", {"type": "Warm"}, "body.type: must be one of: Hard, Soft, Immediate, OnIdle."),
        ("reset", {}, "body.type: missing data for required field."),
        ("reset", {"type": "Hard", "bogus": 1}, "body.bogus: unknown field."),
        ("reset", {"type": "Hard", "evseId": "1"}, "body.evseId: not a valid integer."),
        ("reset", {"type": "Hard", "evseId": True}, "body.evseId: not a valid integer."),
        ("reset", ["Hard"], "body: invalid input type."),
        ("remote-start", {"idToken": "TAG1", "idTokenType": "Bogus"}, "body.idTokenType: must be one of: Central"),
        ("remote-stop", {"transactionId": 1.5}, "body.transactionId: must be a string or an integer"),
        ("unlock-connector", {}, "body.evseId: missing data for required field."),
        ("get-base-report", {"reportBase": "Everything"}, "body.reportBase: must be one of: ConfigurationInventory"),
        ("reserve-now", {"reservationId": 5, "expiryDateTime": "2030-01-01T00:00:00Z"}, "body.idToken: missing data"),
        ("get-composite-schedule", {"evseId": 1}, "body.duration: missing data for required field."),
        ("get-log", {"location": "x", "logType": "AuditLog"}, "body.logType: must be one of: DiagnosticsLog, SecurityLog"),
        ("delete-certificate", HASH_DATA, "body.hashAlgorithm: must be one of: SHA256, SHA384, SHA512."),
        ("data-transfer", {"messageId": "m"}, "body.vendorId: missing data for required field."),
    ],
)
@pytest.mark.parametrize("cs_id", ["cs16", "cs201"])
def test_typed_bodies_are_checked_by_their_schema(stations, cs_id, path, body, error):
    response = stations.post(f"/api/v0/cs/{cs_id}/{path}", json=body)
    assert response.status_code == 400
    assert error in response.json["error"]


def test_unknown_version_is_409_and_unknown_station_404(stations):
    assert stations.post("/api/v0/cs/new/reset", json={"type": "Hard"}).status_code == 409
    assert stations.post("/api/v0/cs/nobody/reset", json={"type": "Hard"}).status_code == 404
    assert stations.post("/api/v0/cs/nobody/call", json={"action": "Reset", "payload": {}}).status_code == 404


def test_every_typed_operation_has_an_endpoint(app):
    spec = app.test_client().get("/api/v0/openapi.json").json
    operation_ids = {op["operationId"] for item in spec["paths"].values() for op in item.values() if isinstance(op, dict) and "operationId" in op}
    assert {f"{name}ChargeStation" for name in OPERATIONS} <= operation_ids


@pytest.mark.parametrize(
    "cs_id, payload",
    [
        ("cs16", {"key": "AuthorizationKey", "value": "30313233343536373839616263646566"}),
        ("cs201", {"setVariableData": [{"attributeValue": "a-new-password-123", "component": {"name": "SecurityCtrlr"},
                                        "variable": {"name": "BasicAuthPassword"}}]}),
    ],
)
def test_password_changes_go_through_reconfigure(stations, cs_id, payload):
    action = "ChangeConfiguration" if cs_id == "cs16" else "SetVariables"
    response = stations.post(f"/api/v0/cs/{cs_id}/call", json={"action": action, "payload": payload})
    assert response.status_code == 400 and "/reconfigure" in response.json["error"]


def test_network_profile_passwords_are_masked_in_answers(stations):
    payload = {"configurationSlot": 1, "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": "wss://csms.example.com/ws",
        "messageTimeout": 30, "securityProfile": 2, "ocppInterface": "Wireless0",
        "apn": {"apn": "internet", "apnAuthentication": "AUTO", "apnPassword": "apn-secret"}}}
    queued = stations.post("/api/v0/cs/cs201/call", json={"action": "SetNetworkProfile", "payload": payload})
    assert queued.status_code == 202, queued.json
    listed = stations.get("/api/v0/cs/cs201/commands").get_data(as_text=True)
    assert "apn-secret" not in queued.get_data(as_text=True) and "apn-secret" not in listed
