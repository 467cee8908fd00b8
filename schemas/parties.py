"""Registration: the initial connection details of an OCPI party."""
from __future__ import annotations

from marshmallow import fields, validate

from schemas.common import BaseSchema

REGISTRATION_STATUSES = ("PENDING", "REGISTERED")


class RegistrationSchema(BaseSchema):
    """Defines the initial connection details for the OCPI registration process."""

    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "The token to use for communicating with the eMSP (CREDENTIALS_TOKEN_A)."},
    )
    url = fields.Url(
        require_tld=False,
        schemes={"http", "https"},
        validate=validate.Length(max=255),
        metadata={"description": "The URL of the eMSP versions endpoint."},
    )
    status = fields.String(load_default="PENDING", validate=validate.OneOf(REGISTRATION_STATUSES))
