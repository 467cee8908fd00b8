"""Version-neutral typed REST operations turned into the OCPP (action, payload) of a station's version.

Bodies arrive checked by their marshmallow schemas (schemas/station_commands.py); what is left here is what
depends on the station's version: names, shapes, and what a version cannot carry.
"""
from __future__ import annotations

import json
import secrets
from typing import Any, Callable, NamedTuple

from ocpp.exceptions import OCPPError
from ocpp.messages import MessageType

from protocol.charging_profiles import to_ocpp16
from protocol.errors import NotExpressible
from protocol.settings import parse_variable_name
from protocol.validation import validate
from protocol.versions import VERSIONS, message_family

Payload = dict[str, Any]
Call = tuple[str, Payload]
Builder = Callable[[Payload, str], Call]


class TypedCallError(ValueError):
    """The body cannot be expressed as an OCPP call of the station's version; the message says why."""


class Operation(NamedTuple):
    """A typed operation: what it does, and its builder (body, version) → call."""

    description: str
    build: Builder


_TRIGGERS_16 = {
    "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
    "StatusNotification",
}
_EXTENDED_TRIGGERS_16 = {"LogStatusNotification", "SignChargePointCertificate"}
_TRIGGER_NAMES_16 = {"SignChargingStationCertificate": "SignChargePointCertificate"}
_RESET_16 = {"Immediate": "Hard", "OnIdle": "Soft"}
_RESET_201 = {"Hard": "Immediate", "Soft": "OnIdle"}
_PURPOSE_16 = {"ChargingStationMaxProfile": "ChargePointMaxProfile"}
_CERTIFICATE_TYPES_16 = {"CSMSRootCertificate": "CentralSystemRootCertificate"}
_CERTIFICATE_TYPES_16 |= {"ManufacturerRootCertificate": "ManufacturerRootCertificate"}


def _new_id() -> int:
    """A random positive 31-bit id (requestId, remoteStartId)."""
    return secrets.randbelow(2**31 - 1) + 1


def _copy(body: Payload, *names: str, **renames: str) -> Payload:
    """The body fields among `names` (kept) and `renames` (body name=payload name) that are present."""
    pairs = [(name, name) for name in names] + list(renames.items())
    return {target: body[source] for source, target in pairs if source in body}


def _not_16(action: str) -> TypedCallError:
    return TypedCallError(f"{action} has no OCPP 1.6 form")


def _connector_16(body: Payload) -> int:
    """The 1.6 connectorId of an EVSE (1.6 connectors are 2.0.1 EVSEs); 0 = the whole station."""
    return body.get("evseId", 0)


def _evse_201(body: Payload) -> Payload:
    """The optional 2.0.1 `evse` {id, connectorId?} object, as {"evse": ...} or {}."""
    if "evseId" not in body:
        if "connectorId" in body:
            raise TypedCallError("connectorId needs an evseId")
        return {}
    return {"evse": {"id": body["evseId"], **_copy(body, "connectorId")}}


def _id_token(value: str, token_type: str) -> Payload:
    return {"idToken": value, "type": token_type}


def _reset(body: Payload, version: str) -> Call:
    if version == "1.6":
        return "Reset", {"type": _RESET_16.get(body["type"], body["type"])}
    return "Reset", {"type": _RESET_201.get(body["type"], body["type"]), **_copy(body, "evseId")}


def _check_start_profile(profile: Any) -> None:
    """A remote start's profile must be a valid 2.0.1 ChargingProfileType with purpose TxProfile."""
    _validated("SetChargingProfile", {"evseId": 0, "chargingProfile": profile}, "2.0.1", "chargingProfile: ")
    if profile["chargingProfilePurpose"] != "TxProfile":
        raise TypedCallError("a remote start's chargingProfile must have chargingProfilePurpose TxProfile")


def _charging_profile_16(body: Payload) -> Payload:
    request = {"evseId": _connector_16(body), "chargingProfile": body["chargingProfile"]}
    return {"chargingProfile": to_ocpp16(request, lambda _: None)["csChargingProfiles"]}


def _remote_start(body: Payload, version: str) -> Call:
    if "chargingProfile" in body:
        _check_start_profile(body["chargingProfile"])
    if version == "1.6":
        profile = _charging_profile_16(body) if "chargingProfile" in body else {}
        return "RemoteStartTransaction", {"idTag": body["idToken"], **_copy(body, evseId="connectorId"), **profile}
    payload = {"idToken": _id_token(body["idToken"], body.get("idTokenType", "Central")), "remoteStartId": _new_id()}
    return "RequestStartTransaction", payload | _copy(body, "evseId", "chargingProfile")


def _remote_stop(body: Payload, version: str) -> Call:
    transaction_id = str(body["transactionId"])
    if version == "2.0.1":
        return "RequestStopTransaction", {"transactionId": transaction_id}
    if not transaction_id.isdigit():
        raise TypedCallError(f"transactionId {transaction_id!r} is not an OCPP 1.6 transaction id (digits)")
    return "RemoteStopTransaction", {"transactionId": int(transaction_id)}


def _change_availability(body: Payload, version: str) -> Call:
    if version == "1.6":
        return "ChangeAvailability", {"connectorId": _connector_16(body), "type": body["operationalStatus"]}
    return "ChangeAvailability", {"operationalStatus": body["operationalStatus"], **_evse_201(body)}


def _unlock_connector(body: Payload, version: str) -> Call:
    if version == "1.6":
        return "UnlockConnector", {"connectorId": body["evseId"]}
    return "UnlockConnector", {"evseId": body["evseId"], "connectorId": body.get("connectorId", 1)}


def _variable_data(name: str) -> Payload:
    try:
        data = parse_variable_name(name).set_variable_data("")
    except NotExpressible as error:
        raise TypedCallError(str(error)) from error
    return {key: value for key, value in data.items() if key != "attributeValue"}


def _get_configuration(body: Payload, version: str) -> Call:
    keys = body.get("keys") or []
    if version == "1.6":
        return "GetConfiguration", {"key": keys} if keys else {}
    if not keys:
        raise TypedCallError("keys: OCPP 2.0.1 GetVariables needs at least one name")
    return "GetVariables", {"getVariableData": [_variable_data(str(name)) for name in keys]}


def _get_base_report(body: Payload, version: str) -> Call:
    if version == "1.6":
        raise _not_16("GetBaseReport")
    return "GetBaseReport", {"requestId": _new_id(), "reportBase": body["reportBase"]}


def _fixed(action: str) -> Builder:
    """A builder for an action with the same empty payload in both versions."""
    return lambda body, version: (action, {})


def _reserve_now(body: Payload, version: str) -> Call:
    if version == "1.6":
        names = _copy(body, "reservationId", "parentIdTag", expiryDateTime="expiryDate", idToken="idTag")
        return "ReserveNow", {"connectorId": _connector_16(body), **names}
    payload = {"id": body["reservationId"], "expiryDateTime": body["expiryDateTime"]}
    payload["idToken"] = _id_token(body["idToken"], body.get("idTokenType", "Central"))
    if "parentIdTag" in body:
        payload["groupIdToken"] = _id_token(body["parentIdTag"], "Central")
    return "ReserveNow", payload | _copy(body, "evseId")


def _cancel_reservation(body: Payload, version: str) -> Call:
    return "CancelReservation", {"reservationId": body["reservationId"]}


def _clear_charging_profile(body: Payload, version: str) -> Call:
    if version == "2.0.1":
        criteria = _copy(body, "evseId", "stackLevel", purpose="chargingProfilePurpose")
        by_criteria = {"chargingProfileCriteria": criteria} if criteria else {}
        return "ClearChargingProfile", _copy(body, id="chargingProfileId") | by_criteria
    if body.get("purpose") == "ChargingStationExternalConstraints":
        raise _not_16("ChargingStationExternalConstraints")
    payload = _copy(body, "id", "stackLevel", evseId="connectorId")
    if "purpose" in body:
        payload["chargingProfilePurpose"] = _PURPOSE_16.get(body["purpose"], body["purpose"])
    return "ClearChargingProfile", payload


def _get_composite_schedule(body: Payload, version: str) -> Call:
    where = "connectorId" if version == "1.6" else "evseId"
    return "GetCompositeSchedule", _copy(body, "duration", "chargingRateUnit", evseId=where)


def _update_firmware(body: Payload, version: str) -> Call:
    retries = _copy(body, "retries", "retryInterval")
    signed = "signature" in body or "signingCertificate" in body
    if version == "1.6" and not signed:
        if "installDateTime" in body:
            raise TypedCallError("installDateTime needs a signed update (signature, signingCertificate) in OCPP 1.6")
        return "UpdateFirmware", {"location": body["location"], "retrieveDate": body["retrieveDateTime"], **retries}
    firmware = _copy(body, "location", "retrieveDateTime", "installDateTime", "signingCertificate", "signature")
    action = "SignedUpdateFirmware" if version == "1.6" else "UpdateFirmware"
    return action, {"requestId": _new_id(), "firmware": firmware, **retries}


def _get_log(body: Payload, version: str) -> Call:
    retries = _copy(body, "retries", "retryInterval")
    log_type = body.get("logType", "DiagnosticsLog")
    if version == "1.6" and log_type == "DiagnosticsLog":
        times = _copy(body, oldestTimestamp="startTime", latestTimestamp="stopTime")
        return "GetDiagnostics", {"location": body["location"], **times, **retries}
    log = {"remoteLocation": body["location"], **_copy(body, "oldestTimestamp", "latestTimestamp")}
    return "GetLog", {"logType": log_type, "requestId": _new_id(), "log": log, **retries}


def _delete_certificate(body: Payload, version: str) -> Call:
    names = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
    return "DeleteCertificate", {"certificateHashData": _copy(body, *names)}


def _get_installed_certificate_ids(body: Payload, version: str) -> Call:
    if version == "2.0.1":
        types = {"certificateType": [body["certificateType"]]} if "certificateType" in body else {}
        return "GetInstalledCertificateIds", types
    certificate_type = body.get("certificateType")
    if certificate_type is None:
        raise TypedCallError("certificateType is required for OCPP 1.6 GetInstalledCertificateIds")
    if certificate_type not in _CERTIFICATE_TYPES_16:
        raise _not_16(f"certificateType {certificate_type}")
    return "GetInstalledCertificateIds", {"certificateType": _CERTIFICATE_TYPES_16[certificate_type]}


def _data_transfer(body: Payload, version: str) -> Call:
    payload = _copy(body, "vendorId", "messageId", "data")
    if version == "1.6" and "data" in payload and not isinstance(payload["data"], str):
        payload["data"] = json.dumps(payload["data"])
    return "DataTransfer", payload


def _trigger_message(body: Payload, version: str) -> Call:
    requested = body["requestedMessage"]
    if version == "2.0.1":
        return "TriggerMessage", {"requestedMessage": requested, **_evse_201(body)}
    requested = _TRIGGER_NAMES_16.get(requested, requested)
    if requested not in _TRIGGERS_16 | _EXTENDED_TRIGGERS_16:
        raise _not_16(f"TriggerMessage {requested}")
    action = "TriggerMessage" if requested in _TRIGGERS_16 else "ExtendedTriggerMessage"
    return action, {"requestedMessage": requested, **_copy(body, evseId="connectorId")}


OPERATIONS: dict[str, Operation] = {
    "reset": Operation("Reset the station (or one EVSE, 2.0.1)", _reset),
    "remoteStart": Operation("Start a transaction; chargingProfile is a 2.0.1 ChargingProfileType (TxProfile)", _remote_start),
    "remoteStop": Operation("Stop a transaction", _remote_stop),
    "changeAvailability": Operation(
        "Make the station, an EVSE or (2.0.1) a connector operative or inoperative", _change_availability
    ),
    "unlockConnector": Operation("Unlock a connector (2.0.1: connectorId default 1)", _unlock_connector),
    "getConfiguration": Operation(
        "Read settings: 1.6 keys; 2.0.1 <component>[;<instance>][;<evseId>]/<variable>[;<instance>][;<attributeType>]",
        _get_configuration,
    ),
    "getBaseReport": Operation("Ask for a device model report (2.0.1)", _get_base_report),
    "clearCache": Operation("Clear the authorization cache", _fixed("ClearCache")),
    "getLocalListVersion": Operation("Read the local list version", _fixed("GetLocalListVersion")),
    "reserveNow": Operation("Reserve the station or an EVSE for a token", _reserve_now),
    "cancelReservation": Operation("Cancel a reservation", _cancel_reservation),
    "clearChargingProfile": Operation("Clear charging profiles by id or criteria", _clear_charging_profile),
    "getCompositeSchedule": Operation("Read the composite schedule of an EVSE (0 = the station)", _get_composite_schedule),
    "updateFirmware": Operation("Install firmware (signed when signature/signingCertificate are given)", _update_firmware),
    "getLog": Operation("Upload a diagnostics or security log to location", _get_log),
    "deleteCertificate": Operation("Delete an installed certificate", _delete_certificate),
    "getInstalledCertificateIds": Operation(
        "List installed certificates (1.6: certificateType required)", _get_installed_certificate_ids
    ),
    "dataTransfer": Operation("Vendor-specific data (1.6: non-string data is sent JSON-encoded)", _data_transfer),
    "triggerMessage": Operation("Ask the station to send a message (1.6: evseId is the connectorId)", _trigger_message),
}


def _validated(action: str, payload: Payload, version: str, prefix: str = "") -> Payload:
    try:
        validate(MessageType.Call, action, payload, version)
    except OCPPError as error:
        raise TypedCallError(f"{prefix}OCPP {version} {action}: {error.description}") from error
    return payload


def build_call(operation: str, body: dict, ocpp_version: str) -> tuple[str, dict]:
    """The (action, payload) that carries the typed `operation` with `body` (checked by its schema) to a station
    of `ocpp_version`.

    Raises TypedCallError when the operation is unknown or the body cannot be expressed for that version;
    the payload is checked against the version's schema.
    """
    if operation not in OPERATIONS:
        raise TypedCallError(f"unknown operation {operation!r} (one of {', '.join(OPERATIONS)})")
    if ocpp_version not in VERSIONS:
        raise TypedCallError(f"OCPP version {ocpp_version!r} is not one of {', '.join(VERSIONS)}")
    try:
        action, payload = OPERATIONS[operation].build(body, message_family(ocpp_version))
    except NotExpressible as error:
        raise TypedCallError(str(error)) from error
    return action, _validated(action, payload, ocpp_version)
