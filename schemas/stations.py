"""ChargeStationAuth and the read-side ChargeStation with its connectors."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from marshmallow import ValidationError, fields, post_dump, validate

from schemas.common import BaseSchema, PageArgsSchema, StrictBoolean, StrictInteger

SECURITY_PROFILES = (0, 1, 2)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _check_password_hash(value: str) -> None:
    try:
        raw = base64.b64decode(value, validate=True) if _BASE64.fullmatch(value) else None
    except binascii.Error:
        raw = None
    if raw is None or len(raw) != 32:
        raise ValidationError("must be standard base64 of a 32-byte SHA-256 hash")


class ChargeStationAuthSchema(BaseSchema):
    """Connection details for a charge station."""

    security_profile = StrictInteger(
        data_key="securityProfile",
        required=True,
        validate=validate.OneOf(SECURITY_PROFILES),
        metadata={"description": "0: unsecured transport with basic auth; 1: TLS with basic auth; 2: TLS with client certificate"},
    )
    password_hash = fields.String(data_key="base64SHA256Password", validate=_check_password_hash)
    invalid_username_allowed = StrictBoolean(data_key="invalidUsernameAllowed", load_default=False)

    @post_dump
    def omit_empty_password(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if not data.get("base64SHA256Password"):
            data.pop("base64SHA256Password", None)
        return data


class ChargeStationConnectorSchema(BaseSchema):
    """A connector's latest status."""

    evse_id = fields.Integer(data_key="evseId")
    connector_id = fields.Integer(data_key="connectorId")
    status = fields.String(allow_none=True)
    error_code = fields.String(data_key="errorCode", allow_none=True)
    updated_at = fields.String(data_key="updatedAt", allow_none=True)


class ChargeStationSchema(BaseSchema):
    """A registered charge station: auth settings, connection, boot facts and connectors."""

    id = fields.String(required=True)
    security_profile = fields.Integer(data_key="securityProfile", required=True)
    invalid_username_allowed = StrictBoolean(data_key="invalidUsernameAllowed", required=True)
    connected = StrictBoolean(required=True)
    ocpp_version = fields.String(
        data_key="ocppVersion", allow_none=True, validate=validate.OneOf(("1.6", "2.0.1", "2.1"))
    )
    last_seen = fields.String(data_key="lastSeen", allow_none=True)
    boot_status = fields.String(data_key="bootStatus", allow_none=True)
    vendor = fields.String(allow_none=True)
    model = fields.String(allow_none=True)
    serial_number = fields.String(data_key="serialNumber", allow_none=True)
    firmware_version = fields.String(data_key="firmwareVersion", allow_none=True)
    connectors = fields.List(fields.Nested(ChargeStationConnectorSchema), required=True)


class ChargeStationListArgsSchema(PageArgsSchema):
    """Paging of GET /cs."""
