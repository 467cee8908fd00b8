"""Request bodies of the station operations that queue commands, and the read-side Command."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import INCLUDE, ValidationError, fields, post_dump, validate, validates_schema

from protocol.secrets import mask_params, mask_payload
from schemas.certificates import parse_certificate
from schemas.common import BaseSchema, PageArgsSchema, StrictInteger

CERTIFICATE_TYPES = ("V2G", "MO", "MF", "CSMS")
CERTIFICATE_STATUSES = ("Accepted", "Rejected", "Pending")
TRIGGERS = (
    "BootNotification",
    "StatusNotification",
    "SignV2GCertificate",
    "SignChargingStationCertificate",
    "SignCombinedCertificate",
)
PROFILE_PURPOSES = ("ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile")
PROFILE_KINDS = ("Absolute", "Recurring", "Relative")
RECURRENCY_KINDS = ("Daily", "Weekly")
RATE_UNITS = ("A", "W")
COMMAND_STATUSES = ("pending", "sent", "completed", "failed", "expired")
MAX_SETTING_VALUE = 1000


class ChargeStationSettingsSchema(BaseSchema):
    """Settings for a charge station: a flat object, setting name → string value."""

    class Meta:
        unknown = INCLUDE

    @validates_schema
    def check_settings(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("at least one setting is required")
        for name, value in data.items():
            if not isinstance(value, str):
                raise ValidationError("value must be a string", field_name=name)
            if len(value) > MAX_SETTING_VALUE:
                raise ValidationError(f"value longer than {MAX_SETTING_VALUE} characters", field_name=name)


class ChargeStationInstallCertificateSchema(BaseSchema):
    """One certificate to install."""

    type = fields.String(required=True, validate=validate.OneOf(CERTIFICATE_TYPES))
    certificate = fields.String(
        required=True,
        validate=parse_certificate,
        metadata={"description": "The PEM encoded certificate with newlines replaced by `\\n`"},
    )
    status = fields.String(
        load_default="Pending",
        validate=validate.OneOf(CERTIFICATE_STATUSES),
        metadata={"description": "The status, defaults to Pending"},
    )


class ChargeStationInstallCertificatesSchema(BaseSchema):
    """The set of certificates to install on the charge station, sent asynchronously."""

    certificates = fields.List(
        fields.Nested(ChargeStationInstallCertificateSchema), required=True, validate=validate.Length(min=1)
    )


class ChargeStationTriggerSchema(BaseSchema):
    """Trigger a charge station action."""

    trigger = fields.String(required=True, validate=validate.OneOf(TRIGGERS))


def _check_datetime(value: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError as error:
        raise ValidationError("must be an ISO 8601 date-time") from error


def _datetime_field() -> fields.String:
    return fields.String(validate=_check_datetime, metadata={"format": "date-time"})


class _PassThroughSchema(BaseSchema):
    # Fields beyond the documented ones (customData...) go on to the `ocpp` schema check, which judges them.
    class Meta:
        unknown = INCLUDE


class ChargingSchedulePeriodSchema(_PassThroughSchema):
    """One period of a charging schedule."""

    startPeriod = StrictInteger(required=True)
    limit = fields.Float(required=True)
    numberPhases = StrictInteger()
    phaseToUse = StrictInteger()


class ChargingScheduleSchema(_PassThroughSchema):
    """An OCPP 2.0.1 ChargingScheduleType."""

    id = StrictInteger(required=True)
    startSchedule = _datetime_field()
    duration = StrictInteger()
    chargingRateUnit = fields.String(required=True, validate=validate.OneOf(RATE_UNITS))
    chargingSchedulePeriod = fields.List(fields.Nested(ChargingSchedulePeriodSchema), required=True)
    minChargingRate = fields.Float()


class OneOrManyNested(fields.Nested):
    """A nested object, or a list of them (the seed sends one chargingSchedule, OCPP wants 1–3)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, partial: Any = None, **kwargs: Any) -> Any:
        if not isinstance(value, list):
            return super()._deserialize(value, attr, data, partial=partial, **kwargs)
        if not all(isinstance(item, dict) for item in value):
            raise ValidationError("must be an object or a list of objects")
        try:
            return self.schema.load(value, many=True, partial=partial)
        except ValidationError as error:
            raise ValidationError(error.messages, valid_data=error.valid_data) from error


class ChargingProfileSchema(_PassThroughSchema):
    """An OCPP 2.0.1 ChargingProfileType; see the OCPP 2.0.1 specification."""

    id = StrictInteger(required=True)
    stackLevel = StrictInteger(required=True)
    chargingProfilePurpose = fields.String(required=True, validate=validate.OneOf(PROFILE_PURPOSES))
    chargingProfileKind = fields.String(required=True, validate=validate.OneOf(PROFILE_KINDS))
    recurrencyKind = fields.String(validate=validate.OneOf(RECURRENCY_KINDS))
    validFrom = _datetime_field()
    validTo = _datetime_field()
    transactionId = fields.String(validate=validate.Length(max=36))
    chargingSchedule = OneOrManyNested(ChargingScheduleSchema, required=True)


class CommandSchema(BaseSchema):
    """A command in a station's outbox."""

    id = fields.Integer(required=True)
    operation = fields.String(required=True, metadata={"description": "What was asked (seed operation or OCPP action)"})
    params = fields.Raw(allow_none=True, metadata={"description": "What the operation was asked with"})
    action = fields.String(allow_none=True, metadata={"description": "The OCPP action sent, once resolved"})
    status = fields.String(required=True, validate=validate.OneOf(COMMAND_STATUSES))
    request = fields.Raw(allow_none=True)
    response = fields.Raw(allow_none=True)
    created_at = fields.String(data_key="createdAt", allow_none=True)
    sent_at = fields.String(data_key="sentAt", allow_none=True)
    completed_at = fields.String(data_key="completedAt", allow_none=True)

    @post_dump
    def mask(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Open commands keep their passwords apart (secrets), finished ones none; rows of older versions may.
        data["params"] = mask_params(data.get("operation"), data.get("params"))
        data["request"] = mask_payload(data.get("request"))
        return data


class CommandListArgsSchema(PageArgsSchema):
    """Paging of a station's commands."""
