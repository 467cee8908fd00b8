"""Certificates the local CA issued to a station, as the API lists them."""
from __future__ import annotations

from typing import Any

from marshmallow import fields, post_load, validate

from schemas.common import BaseSchema, PageArgsSchema
from schemas.emaid import normalise_emaid
from schemas.tokens import check_emaid

ISSUED_TYPES = ("ChargingStationCertificate", "V2GCertificate")


class IssuedCertificateListArgsSchema(PageArgsSchema):
    """Paging of GET /cs/{csId}/certificates/issued."""


class IssuedCertificateSchema(BaseSchema):
    """One certificate the local CA issued (revoked ones stay listed)."""

    serial = fields.String(required=True, metadata={"description": "Serial number, upper-case hex"})
    certificate_type = fields.String(data_key="certificateType", required=True, validate=validate.OneOf(ISSUED_TYPES))
    subject = fields.String(required=True)
    not_before = fields.String(data_key="notBefore", required=True)
    not_after = fields.String(data_key="notAfter", required=True)
    revoked = fields.Function(lambda row: row["revoked_at"] is not None, required=True, metadata={"type": "boolean"})
    revoked_at = fields.String(data_key="revokedAt", allow_none=True)
    pem = fields.String(required=True, metadata={"description": "The certificate followed by the sub-CA that signed it"})


class ContractCertificateRequestSchema(BaseSchema):
    """An EV's contract certificate to issue from the local contract sub-CA (lab use): its eMAID and CSR."""

    emaid = fields.String(required=True, validate=check_emaid, metadata={"description": "e.g. GB-TWK-012345678-V"})
    csr = fields.String(required=True, metadata={"description": "PEM CSR; its CN must be the eMAID, normalised"})

    @post_load
    def normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "emaid": normalise_emaid(data["emaid"])}


class ContractCertificateSchema(BaseSchema):
    """A contract certificate the local CA issued."""

    serial = fields.String(required=True)
    emaid = fields.String(required=True)
    not_after = fields.String(data_key="notAfter", required=True)
    certificate_chain = fields.String(data_key="certificateChain", required=True,
                                      metadata={"description": "The certificate followed by the contract sub-CA"})
