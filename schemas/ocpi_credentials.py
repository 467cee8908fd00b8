"""OCPI 2.2.1 credentials module: the Credentials object a partner sends us (POST, PUT) or answers."""
from __future__ import annotations

from marshmallow import fields, validate

from schemas.ocpi_common import BaseSchema, enum, string, url_field

ROLES = ("CPO", "EMSP", "HUB", "NAP", "NSP", "OTHER", "SCSP")


class ImageSchema(BaseSchema):
    """Image (a logo)."""

    url = url_field()
    thumbnail = url_field(required=False)
    category = enum("CHARGER", "ENTRANCE", "LOCATION", "NETWORK", "OPERATOR", "OTHER", "OWNER")
    type = string(4)
    width = fields.Integer(validate=validate.Range(min=0, max=99999))
    height = fields.Integer(validate=validate.Range(min=0, max=99999))


class BusinessDetailsSchema(BaseSchema):
    """BusinessDetails."""

    name = string(100)
    website = url_field(required=False)
    logo = fields.Nested(ImageSchema)


class CredentialsRoleSchema(BaseSchema):
    """CredentialsRole."""

    role = enum(*ROLES)
    business_details = fields.Nested(BusinessDetailsSchema, required=True)
    party_id = string(3, minimum=3)
    country_code = string(2, minimum=2)


class CredentialsSchema(BaseSchema):
    """Credentials: the token to call its owner with, its versions URL and its roles."""

    # Printable ASCII without spaces, as OCPI says (it goes into a header).
    token = fields.String(required=True, validate=[validate.Length(min=1, max=64), validate.Regexp(r"[!-~]+\Z")])
    url = url_field()
    roles = fields.List(fields.Nested(CredentialsRoleSchema), required=True, validate=validate.Length(min=1))
