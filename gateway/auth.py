"""Station credentials: HTTP Basic against the stored hash, and the client certificate's Subject."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography import x509
from cryptography.x509.oid import NameOID


def basic_auth_ok(header: str | None, cs_id: str, password_hash: str | None, invalid_username_allowed: bool) -> bool:
    """True when `header` carries `cs_id` (unless any username is allowed) and the password whose
    base64(SHA-256) is `password_hash`. The password bytes are taken raw: a 1.6 AuthorizationKey may be binary."""
    if not header or not password_hash:
        return False
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    username, colon, password = decoded.partition(b":")
    if not colon:
        return False
    username_ok = invalid_username_allowed or hmac.compare_digest(username, cs_id.encode())
    offered = base64.b64encode(hashlib.sha256(password).digest())
    return hmac.compare_digest(offered, password_hash.strip().encode()) and username_ok


def certificate_problem(certificate: x509.Certificate | None, cs_id: str, org_name: str | None) -> str | None:
    """Why a (chain-verified) client certificate may not act as `cs_id`, or None when it may."""
    if certificate is None:
        return "no verified client certificate"
    common_names = _subject(certificate, NameOID.COMMON_NAME)
    if common_names != [cs_id]:
        return f"certificate CN {common_names!r} is not the station id"
    if org_name is not None and _subject(certificate, NameOID.ORGANIZATION_NAME) != [org_name]:
        return "certificate O is not the configured organisation"
    return None


def _subject(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(attribute.value) for attribute in certificate.subject.get_attributes_for_oid(oid)]


def normalized_certificate_hash(value: str) -> str:
    """A certificate hash in either base64 alphabet, padded or not, as the certificates table keys it."""
    return value.strip().replace("+", "-").replace("/", "_").rstrip("=")
