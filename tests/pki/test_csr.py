"""CSR checks: only a well-signed request with a strong key for the station's own identity may be signed."""
from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from pki.csr import CsrRefused, checked_csr


def make_csr(cs_id: str = "cs1", organisation: str | None = "ACME", key=None) -> str:
    key = key or ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, cs_id)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    csr = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attributes)).sign(key, algorithm)
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def with_bad_signature(pem: str) -> str:
    der = bytearray(x509.load_pem_x509_csr(pem.encode()).public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0xFF  # inside the signature
    body = base64.encodebytes(bytes(der)).decode()
    return f"-----BEGIN CERTIFICATE REQUEST-----\n{body}-----END CERTIFICATE REQUEST-----\n"


@pytest.mark.parametrize(
    "key",
    [ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP384R1()), rsa.generate_private_key(65537, 2048)],
    ids=["ec-p256", "ec-p384", "rsa-2048"],
)
@pytest.mark.parametrize("certificate_type", ["ChargingStationCertificate", "V2GCertificate"])
def test_good_csrs_pass(key, certificate_type):
    csr = checked_csr(make_csr(key=key), "cs1", certificate_type, "ACME")
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "cs1"


def test_a_bare_base64_body_is_read_as_pem():
    body = "".join(line for line in make_csr().splitlines() if "-----" not in line)
    assert checked_csr(body, "cs1", "ChargingStationCertificate", None)


@pytest.mark.parametrize(
    "text, cs_id, certificate_type, org, reason",
    [
        (make_csr(), "cs2", "ChargingStationCertificate", "ACME", "is not the station id 'cs2'"),
        (make_csr(organisation="Other"), "cs1", "ChargingStationCertificate", "ACME", "O ['Other'] is not 'ACME'"),
        (make_csr(organisation=None), "cs1", "ChargingStationCertificate", "ACME", "O [] is not 'ACME'"),
        (make_csr(key=rsa.generate_private_key(65537, 1024)), "cs1", "V2GCertificate", None, "1024 bits is weaker"),
        (make_csr(key=ec.generate_private_key(ec.SECP192R1())), "cs1", "V2GCertificate", None, "weaker than P-256"),
        (make_csr(key=ed25519.Ed25519PrivateKey.generate()), "cs1", "V2GCertificate", None, "neither RSA nor EC"),
        (make_csr(key=dsa.generate_private_key(2048)), "cs1", "V2GCertificate", None, "neither RSA nor EC"),
        (with_bad_signature(make_csr()), "cs1", "ChargingStationCertificate", None, "signature does not verify"),
        (make_csr(), "cs1", "MORootCertificate", None, "may not ask for a MORootCertificate"),
        ("", "cs1", "ChargingStationCertificate", None, "empty"),
        ("not a csr at all", "cs1", "ChargingStationCertificate", None, "not a PEM certificate signing request"),
        ("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", "cs1",
         "ChargingStationCertificate", None, "not a PEM certificate signing request"),
        ("A" * 20000, "cs1", "ChargingStationCertificate", None, "longer than"),
    ],
    ids=["wrong-cn", "wrong-o", "no-o", "weak-rsa", "weak-ec", "ed25519", "dsa", "bad-signature", "root-type",
         "empty", "garbage", "bad-der", "huge"],
)
def test_bad_csrs_are_refused_with_the_reason(text, cs_id, certificate_type, org, reason):
    with pytest.raises(CsrRefused) as refused:
        checked_csr(text, cs_id, certificate_type, org)
    assert reason in str(refused.value)


def test_the_subject_check_can_be_switched_off_for_octt():
    assert checked_csr(make_csr("someone-else", None), "cs1", "ChargingStationCertificate", "ACME", check_subject=False)
