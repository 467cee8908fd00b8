"""OCSP (RFC 6960) both ways: answer for the certificates our CA issued, and ask about any certificate by hash data."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable, Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp

from pki.authority import Authority, now

ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA1": hashes.SHA1, "SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512,
}  # fmt: skip
NEXT_UPDATE = datetime.timedelta(hours=1)


# What the CA knows of a serial number: (whether it issued it, when it revoked it as ISO 8601 text, or None).
Revocation = tuple[bool, "str | None"]


@dataclass(frozen=True)
class HashData:
    """OCPP's CertificateHashDataType / OCSPRequestDataType: a certificate named by its issuer's hashes and serial."""

    hash_algorithm: str  # SHA256, SHA384, SHA512
    issuer_name_hash: str  # hex
    issuer_key_hash: str  # hex
    serial_number: str  # hex


def issuer_hashes(issuer: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """(hash of the issuer's DER subject, hash of its public key bits), as OCSP CertIDs carry them."""
    return _digest(algorithm, issuer.subject.public_bytes()), _digest(algorithm, _key_bits(issuer.public_key()))


def hash_data(certificate: x509.Certificate, issuer: x509.Certificate, algorithm: str = "SHA256") -> HashData:
    """The OCPP hash data of `certificate`, issued by `issuer`."""
    name_hash, key_hash = issuer_hashes(issuer, ALGORITHMS[algorithm]())
    return HashData(algorithm, name_hash.hex(), key_hash.hex(), format(certificate.serial_number, "x"))


def respond(request_der: bytes, authorities: Iterable[Authority], lookup: Callable[[int], Revocation]) -> bytes:
    """The DER OCSP response to a DER request about a certificate one of `authorities` issued.

    `lookup(serial)` tells what we issued; a serial we never issued is `unknown`, an issuer not ours `unauthorized`.
    """
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return malformed()
    algorithm = request.hash_algorithm
    authority = next(
        (each for each in authorities
         if issuer_hashes(each.certificate, algorithm) == (request.issuer_name_hash, request.issuer_key_hash)),
        None,
    )  # fmt: skip
    if authority is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    issued, revoked_text = lookup(request.serial_number)
    revoked_at = _parse_time(revoked_text) if issued else None
    if not issued:
        status = ocsp.OCSPCertStatus.UNKNOWN
    elif revoked_at is not None:
        status = ocsp.OCSPCertStatus.REVOKED
    else:
        status = ocsp.OCSPCertStatus.GOOD
    this_update = now()
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        request.issuer_name_hash, request.issuer_key_hash, request.serial_number, algorithm, status,
        this_update, this_update + NEXT_UPDATE, revoked_at, None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, authority.certificate)
    nonce = _nonce(request)
    if nonce is not None:
        builder = builder.add_extension(nonce, critical=False)
    return builder.sign(authority.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def is_unauthorized(response_der: bytes) -> bool:
    """Whether a responder answered that it does not speak for the certificate's issuer."""
    return ocsp.load_der_ocsp_response(response_der).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def malformed() -> bytes:
    """The answer to a request that is not one."""
    return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)


def _parse_time(text: str | None) -> datetime.datetime | None:
    return None if text is None else datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def request_for(data: HashData) -> bytes:
    """A DER OCSP request about the certificate `data` names; raises ValueError for malformed hash data."""
    algorithm = ALGORITHMS.get(data.hash_algorithm)
    if algorithm is None:
        raise ValueError(f"hash algorithm {data.hash_algorithm[:20]!r} is not one of {', '.join(ALGORITHMS)}")
    builder = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        bytes.fromhex(data.issuer_name_hash), bytes.fromhex(data.issuer_key_hash), int(data.serial_number, 16),
        algorithm(),
    )
    return builder.build().public_bytes(serialization.Encoding.DER)


def status_of(response_der: bytes) -> str:
    """"Good", "Revoked" or "Unknown" from a DER OCSP response; raises ValueError when it is not a successful one."""
    response = ocsp.load_der_ocsp_response(response_der)
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise ValueError(f"OCSP responder answered {response.response_status.name}")
    return {
        ocsp.OCSPCertStatus.GOOD: "Good",
        ocsp.OCSPCertStatus.REVOKED: "Revoked",
        ocsp.OCSPCertStatus.UNKNOWN: "Unknown",
    }[response.certificate_status]


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _nonce(request: ocsp.OCSPRequest) -> x509.OCSPNonce | None:
    try:
        return request.extensions.get_extension_for_class(x509.OCSPNonce).value
    except x509.ExtensionNotFound:
        return None


def _key_bits(key: object) -> bytes:
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    if isinstance(key, rsa.RSAPublicKey):
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    raise ValueError("only EC and RSA issuers")


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(data)
    return digest.finalize()
