"""Certificate: a PEM certificate and its parsing, and the spellings of its hash in paths."""
from __future__ import annotations

import re

from cryptography import x509
from marshmallow import ValidationError, fields

from schemas.common import BaseSchema

_HASH_TEXT = re.compile(r"[A-Za-z0-9+/_-]{1,64}={0,2}")


def parse_certificate(pem: str) -> x509.Certificate:
    """The first CERTIFICATE block of `pem`; ValidationError `invalid certificate: ...` when it does not parse."""
    try:
        certificates = x509.load_pem_x509_certificates(pem.encode())
    except ValueError as error:
        raise ValidationError(f"invalid certificate: {error}") from error
    return certificates[0]


def normalise_hash(text: str) -> str | None:
    """Standard or URL-safe base64, padded or not, as the store's unpadded base64url; None when it cannot be one."""
    if not _HASH_TEXT.fullmatch(text):
        return None
    return text.rstrip("=").replace("+", "-").replace("/", "_")


class CertificateSchema(BaseSchema):
    """A client certificate."""

    certificate = fields.String(
        required=True,
        validate=parse_certificate,
        metadata={"description": "The PEM encoded certificate with newlines replaced by `\\n`"},
    )


class StoredCertificateSchema(BaseSchema):
    """A certificate of the store, as the list shows it."""

    certificateHash = fields.String(attribute="hash", required=True,
                                    metadata={"description": "unpadded base64url SHA-256 of the DER bytes"})
    subject = fields.String(required=True)
    notAfter = fields.String(attribute="not_after", required=True)
    createdAt = fields.String(attribute="created_at", required=True)
