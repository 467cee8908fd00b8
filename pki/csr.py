"""Checks a station's certificate signing request before anything is signed: no station gets another's identity."""
from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

MAX_CSR_CHARACTERS = 16384  # the 2.0.1 schema allows 5500; a station's CSR never comes near this
MIN_RSA_BITS, MIN_EC_BITS = 2048, 256
STATION_TYPES = ("ChargingStationCertificate", "V2GCertificate")


class CsrRefused(ValueError):
    """The CSR is not signed; the message says why, in words for the security event."""


def checked_csr(
    text: str, cs_id: str, certificate_type: str, org_name: str | None, check_subject: bool = True
) -> x509.CertificateSigningRequest:
    """The parsed CSR when it may be signed for `cs_id` as `certificate_type`; raises CsrRefused otherwise.

    A 1.6 CSR may come as bare base64 DER (the Security Whitepaper says PEM, some stations send the body only).
    `check_subject` off skips the CN/O checks (OCTT sends no organisation; SteVe has the same switch).
    """
    if certificate_type not in STATION_TYPES:
        raise CsrRefused(f"a station may not ask for a {certificate_type[:40]}")
    csr = _verified(text)
    if check_subject:
        _check_subject(csr.subject, cs_id, org_name)
    return csr


def checked_contract_csr(text: str, emaid: str) -> x509.CertificateSigningRequest:
    """The parsed CSR of an EV's contract certificate when it may be signed: CN = the eMAID (ISO 15118-2)."""
    csr = _verified(text)
    _check_subject(csr.subject, emaid, None, "the eMAID")
    return csr


def _verified(text: str) -> x509.CertificateSigningRequest:
    csr = _parsed(text)
    try:
        key, signed = csr.public_key(), csr.is_signature_valid
    except (ValueError, TypeError) as error:  # a key or signature algorithm cryptography does not know
        raise CsrRefused("the CSR's key or signature algorithm is not supported") from error
    _check_key(key)
    if not signed:
        raise CsrRefused("the CSR's signature does not verify")
    return csr


def _parsed(text: str) -> x509.CertificateSigningRequest:
    if not isinstance(text, str) or not text.strip():
        raise CsrRefused("the CSR is empty")
    if len(text) > MAX_CSR_CHARACTERS:
        raise CsrRefused(f"the CSR is longer than {MAX_CSR_CHARACTERS} characters")
    body = text.strip()
    if "-----BEGIN" not in body:
        body = f"-----BEGIN CERTIFICATE REQUEST-----\n{body}\n-----END CERTIFICATE REQUEST-----\n"
    try:
        return x509.load_pem_x509_csr(body.encode())
    except (ValueError, TypeError, UnicodeError) as error:
        raise CsrRefused("not a PEM certificate signing request") from error


def _check_key(key: object) -> None:
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise CsrRefused(f"an RSA key of {key.key_size} bits is weaker than {MIN_RSA_BITS}")
        return
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.key_size < MIN_EC_BITS:
            raise CsrRefused(f"the curve {key.curve.name} is weaker than P-256")
        return
    raise CsrRefused(f"a {type(key).__name__.removeprefix('_')} key is neither RSA nor EC")


def _check_subject(subject: x509.Name, cs_id: str, org_name: str | None, what: str = "the station id") -> None:
    common_names = [str(attribute.value) for attribute in subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if common_names != [cs_id]:
        raise CsrRefused(f"the CSR's CN {common_names!r:.80} is not {what} {cs_id!r}")
    if org_name is not None:
        organisations = [str(attribute.value) for attribute in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
        if organisations != [org_name]:
            raise CsrRefused(f"the CSR's O {organisations!r:.80} is not {org_name!r}")
