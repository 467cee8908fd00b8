"""Token: an authorization token as the API reads and writes it (columns via data_key)."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_dump, post_load, validate

from protocol.times import utc_instant
from schemas.common import BaseSchema, PageArgsSchema, StrictBoolean, check_zoned_time
from schemas.emaid import EmaidError, normalise_emaid

TOKEN_TYPES = ("AD_HOC_USER", "APP_USER", "OTHER", "RFID")
CACHE_MODES = ("ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER")


def check_emaid(value: str) -> None:
    """A valid eMAID (contract id), its check digit right when given."""
    try:
        normalise_emaid(value)
    except EmaidError as error:
        raise ValidationError(str(error)) from error


class TokenSchema(BaseSchema):
    """An authorization token."""

    country_code = fields.String(data_key="countryCode", required=True, validate=validate.Length(equal=2))
    party_id = fields.String(data_key="partyId", required=True, validate=validate.Length(equal=3))
    type = fields.String(required=True, validate=validate.OneOf(TOKEN_TYPES))
    uid = fields.String(required=True, validate=validate.Length(min=1, max=36))
    contract_id = fields.String(data_key="contractId", required=True, validate=check_emaid)
    visual_number = fields.String(data_key="visualNumber", validate=validate.Length(max=64))
    issuer = fields.String(required=True, validate=validate.Length(max=64))
    group_id = fields.String(data_key="groupId", validate=validate.Length(max=36))
    valid = StrictBoolean(required=True)
    language_code = fields.String(data_key="languageCode", validate=validate.Length(equal=2))
    cache_mode = fields.String(data_key="cacheMode", required=True, validate=validate.OneOf(CACHE_MODES))
    expiry_date = fields.String(
        data_key="expiryDate",
        validate=check_zoned_time,
        metadata={"format": "date-time", "description": "After it, Authorize answers Expired (kept in UTC)"},
    )
    last_updated = fields.String(
        data_key="lastUpdated",
        metadata={"format": "date-time", "description": "Set by the CSMS; ignored on create/update"},
    )

    @post_load
    def normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data.pop("last_updated", None)
        data["contract_id"] = normalise_emaid(data["contract_id"])
        if data.get("expiry_date"):
            data["expiry_date"] = utc_instant(data["expiry_date"])
        return data

    @post_dump
    def omit_unset(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {name: value for name, value in data.items() if value is not None}


class TokenListArgsSchema(PageArgsSchema):
    """Paging of GET /token."""
