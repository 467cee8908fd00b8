"""Bodies of `POST /cs/{csId}/call` and of the typed command endpoints: the one check of their shape."""
from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate

from protocol.reservations import INT32_MAX
from schemas.common import BaseSchema, StrictInteger, check_zoned_time

TOKEN_TYPES = ("Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization")
PROFILE_PURPOSES = ("ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile", "ChargingStationExternalConstraints")
CERTIFICATE_TYPES = (
    "V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "V2GCertificateChain", "ManufacturerRootCertificate",
)  # fmt: skip


class CallSchema(BaseSchema):
    """Any CSMS-initiated action of the station's OCPP version, with its payload as the spec defines it."""

    action = fields.String(required=True, validate=validate.Length(min=1, max=64))
    payload = fields.Dict(required=True)


class _TypedSchema(BaseSchema):
    """A typed operation's body: a field it does not take is an error, not ignored."""

    class Meta:
        unknown = RAISE


def _one_of(*values: str, required: bool = False) -> fields.String:
    return fields.String(required=required, validate=validate.OneOf(values))


def _string_or_integer(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError("must be a string or an integer")


class _Retries(_TypedSchema):
    retries = StrictInteger()
    retryInterval = StrictInteger()


class ResetRequestSchema(_TypedSchema):
    type = _one_of("Hard", "Soft", "Immediate", "OnIdle", required=True)
    evseId = StrictInteger()


class RemoteStartRequestSchema(_TypedSchema):
    idToken = fields.String(required=True)
    idTokenType = _one_of(*TOKEN_TYPES)
    evseId = StrictInteger()
    chargingProfile = fields.Dict()


class RemoteStopRequestSchema(_TypedSchema):
    transactionId = fields.Raw(
        required=True, validate=_string_or_integer, metadata={"oneOf": [{"type": "string"}, {"type": "integer"}]}
    )


class ChangeAvailabilityRequestSchema(_TypedSchema):
    operationalStatus = _one_of("Operative", "Inoperative", required=True)
    evseId = StrictInteger()
    connectorId = StrictInteger()


class UnlockConnectorRequestSchema(_TypedSchema):
    evseId = StrictInteger(required=True)
    connectorId = StrictInteger()


class GetConfigurationRequestSchema(_TypedSchema):
    keys = fields.List(fields.Raw())


class GetBaseReportRequestSchema(_TypedSchema):
    reportBase = _one_of("ConfigurationInventory", "FullInventory", "SummaryInventory", required=True)


class ClearCacheRequestSchema(_TypedSchema):
    pass


def _id(**kwargs: Any) -> StrictInteger:
    return StrictInteger(validate=validate.Range(min=0, max=INT32_MAX), **kwargs)


class SendLocalListRequestSchema(_TypedSchema):
    """Built from the token store when it goes out, against the list the station acknowledged."""

    updateType = _one_of("Full", "Differential", required=True)
    listVersion = StrictInteger(
        validate=validate.Range(min=1, max=INT32_MAX),
        metadata={"description": "Default: one above the version the station acknowledged or reported"},
    )
    tokens = fields.List(
        fields.String(validate=validate.Length(min=1, max=36)),
        metadata={"description": "Token uids: Full, the list (default every token); Differential, the uids to compare "
                                 "(default every token and every uid on the station's list)"},
    )


class GetLocalListVersionRequestSchema(_TypedSchema):
    pass


class ReserveNowRequestSchema(_TypedSchema):
    reservationId = _id(metadata={"description": "Default: a random id none of the station's reservations has"})
    expiryDateTime = fields.String(required=True, validate=check_zoned_time, metadata={"format": "date-time"})
    idToken = fields.String(required=True)
    idTokenType = _one_of(*TOKEN_TYPES)
    evseId = _id(metadata={"description": "1.6 connectorId; absent or 0: the whole station"})
    parentIdTag = fields.String()


class CancelReservationRequestSchema(_TypedSchema):
    reservationId = _id(required=True)


class ClearChargingProfileRequestSchema(_TypedSchema):
    id = StrictInteger()
    evseId = StrictInteger()
    purpose = _one_of(*PROFILE_PURPOSES)
    stackLevel = StrictInteger()


class GetCompositeScheduleRequestSchema(_TypedSchema):
    evseId = StrictInteger(required=True)
    duration = StrictInteger(required=True)
    chargingRateUnit = _one_of("A", "W")


class UpdateFirmwareRequestSchema(_Retries):
    location = fields.String(required=True)
    retrieveDateTime = fields.String(required=True)
    installDateTime = fields.String()
    signingCertificate = fields.String()
    signature = fields.String()


class GetLogRequestSchema(_Retries):
    location = fields.String(required=True)
    logType = _one_of("DiagnosticsLog", "SecurityLog")
    oldestTimestamp = fields.String()
    latestTimestamp = fields.String()


class DeleteCertificateRequestSchema(_TypedSchema):
    hashAlgorithm = _one_of("SHA256", "SHA384", "SHA512", required=True)
    issuerNameHash = fields.String(required=True)
    issuerKeyHash = fields.String(required=True)
    serialNumber = fields.String(required=True)


class GetInstalledCertificateIdsRequestSchema(_TypedSchema):
    certificateType = _one_of(*CERTIFICATE_TYPES)


class DataTransferRequestSchema(_TypedSchema):
    vendorId = fields.String(required=True)
    messageId = fields.String()
    data = fields.Raw()


class TriggerMessageRequestSchema(_TypedSchema):
    requestedMessage = fields.String(required=True)
    evseId = StrictInteger()
    connectorId = StrictInteger()


# sendLocalList is no typed call: its list is built when it goes out (SendLocalListRequestSchema).
TYPED_SCHEMAS: dict[str, type[BaseSchema]] = {
    "reset": ResetRequestSchema,
    "remoteStart": RemoteStartRequestSchema,
    "remoteStop": RemoteStopRequestSchema,
    "changeAvailability": ChangeAvailabilityRequestSchema,
    "unlockConnector": UnlockConnectorRequestSchema,
    "getConfiguration": GetConfigurationRequestSchema,
    "getBaseReport": GetBaseReportRequestSchema,
    "clearCache": ClearCacheRequestSchema,
    "getLocalListVersion": GetLocalListVersionRequestSchema,
    "reserveNow": ReserveNowRequestSchema,
    "cancelReservation": CancelReservationRequestSchema,
    "clearChargingProfile": ClearChargingProfileRequestSchema,
    "getCompositeSchedule": GetCompositeScheduleRequestSchema,
    "updateFirmware": UpdateFirmwareRequestSchema,
    "getLog": GetLogRequestSchema,
    "deleteCertificate": DeleteCertificateRequestSchema,
    "getInstalledCertificateIds": GetInstalledCertificateIdsRequestSchema,
    "dataTransfer": DataTransferRequestSchema,
    "triggerMessage": TriggerMessageRequestSchema,
}
