"""OCPI 2.2.1 tokens module: the Token object partners push to us, and the AuthorizationInfo of a real-time
authorization they answer."""
from __future__ import annotations

from marshmallow import fields

from schemas.ocpi_common import BaseSchema, DisplayTextSchema, StrictBoolean, date_time_field, enum, string

TOKEN_TYPES = ("AD_HOC_USER", "APP_USER", "OTHER", "RFID")
WHITELIST_TYPES = ("ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER")
PROFILE_TYPES = ("CHEAP", "FAST", "GREEN", "REGULAR")
ALLOWED_TYPES = ("ALLOWED", "BLOCKED", "EXPIRED", "NO_CREDIT", "NOT_ALLOWED")


class EnergyContractSchema(BaseSchema):
    """EnergyContract."""

    supplier_name = string(64)
    contract_id = string(64, required=False)


class TokenSchema(BaseSchema):
    """Token."""

    country_code = string(2, minimum=2)
    party_id = string(3, minimum=3)
    uid = string(36, minimum=1)
    type = enum(*TOKEN_TYPES)
    contract_id = string(36, minimum=1)
    visual_number = string(64, required=False)
    issuer = string(64)
    group_id = string(36, required=False)
    valid = StrictBoolean(required=True)
    whitelist = enum(*WHITELIST_TYPES)
    language = string(2, required=False)
    default_profile_type = enum(*PROFILE_TYPES, required=False)
    energy_contract = fields.Nested(EnergyContractSchema)
    last_updated = date_time_field()


class LocationReferencesSchema(BaseSchema):
    """LocationReferences."""

    location_id = string(36)
    evse_uids = fields.List(string(36))


class AuthorizationInfoSchema(BaseSchema):
    """AuthorizationInfo: a partner's real-time authorization answer."""

    allowed = enum(*ALLOWED_TYPES)
    token = fields.Nested(TokenSchema, required=True)
    location = fields.Nested(LocationReferencesSchema)
    authorization_reference = string(36, required=False)
    info = fields.Nested(DisplayTextSchema)
