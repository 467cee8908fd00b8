"""The hashes that name a certificate: the certificate store's key and a station certificate's id."""
from __future__ import annotations

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


def certificate_hash(certificate: x509.Certificate) -> str:
    """The certificate store's key: unpadded base64url SHA-256 of the DER."""
    digest = hashlib.sha256(certificate.public_bytes(Encoding.DER)).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def certificate_id(certificate: x509.Certificate) -> str:
    """A station certificate's id: hex SHA-256 of the DER."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def serial_hex(certificate: x509.Certificate) -> str:
    """The serial number as the API shows it: upper-case hex without separators."""
    return format(certificate.serial_number, "X")


def summary(certificate: x509.Certificate) -> dict[str, str]:
    """Serial (as `serial_hex`), subject (RFC 4514) and validity (ISO 8601, UTC) of a certificate."""
    return {
        "serial": serial_hex(certificate),
        "subject": certificate.subject.rfc4514_string(),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
    }
