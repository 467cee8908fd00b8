"""Our OCSP responder answers good / revoked / unknown for what our CA issued, for each CertID hash algorithm."""
from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp

from pki import ocsp
from pki.authority import name, new_key
from pki.issuing import issue_ca, issue_leaf
from pki.local_ca import load_or_create

REVOKED_AT = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


@pytest.fixture
def ca(tmp_path):
    return load_or_create(tmp_path / "pki", "ACME")


@pytest.fixture
def leaf(ca):
    key = ec.generate_private_key(ec.SECP256R1())
    return issue_leaf(ca.stations, name("cs1"), key.public_key(), "ChargingStationCertificate", 30)


def known(leaf, revoked: bool = False):
    revoked_at = REVOKED_AT.isoformat() if revoked else None
    return lambda serial: (True, revoked_at) if serial == leaf.serial_number else (False, None)


@pytest.mark.parametrize("algorithm", ["SHA1", "SHA256", "SHA384", "SHA512"])
def test_good_for_every_hash_algorithm(ca, leaf, algorithm):
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(leaf, ca.stations.certificate, ocsp.ALGORITHMS[algorithm]())
    der = request.build().public_bytes(serialization.Encoding.DER)
    response = ocsp.respond(der, ca.authorities(), known(leaf))
    assert ocsp.status_of(response) == "Good"


def test_revoked_with_its_time_and_unknown_for_serials_we_never_issued(ca, leaf):
    request = ocsp.request_for(ocsp.hash_data(leaf, ca.stations.certificate))
    revoked = x509_ocsp.load_der_ocsp_response(ocsp.respond(request, ca.authorities(), known(leaf, revoked=True)))
    assert (revoked.certificate_status, revoked.revocation_time_utc) == (x509_ocsp.OCSPCertStatus.REVOKED, REVOKED_AT)
    assert ocsp.status_of(ocsp.respond(request, ca.authorities(), lambda serial: (False, None))) == "Unknown"


def test_the_response_verifies_against_the_issuing_ca(ca, leaf):
    response = x509_ocsp.load_der_ocsp_response(
        ocsp.respond(ocsp.request_for(ocsp.hash_data(leaf, ca.stations.certificate)), ca.authorities(), known(leaf))
    )
    ca.stations.certificate.public_key().verify(
        response.signature, response.tbs_response_bytes, ec.ECDSA(response.signature_hash_algorithm)
    )


def test_other_issuers_are_unauthorized_and_garbage_malformed(ca, leaf):
    stranger = issue_ca(name("Stranger CA"), new_key(), None, 30, path_length=0)
    request = ocsp.request_for(ocsp.hash_data(leaf, stranger.certificate))
    with pytest.raises(ValueError, match="UNAUTHORIZED"):
        ocsp.status_of(ocsp.respond(request, ca.authorities(), known(leaf)))
    with pytest.raises(ValueError, match="MALFORMED_REQUEST"):
        ocsp.status_of(ocsp.respond(b"\x30\x03garbage", ca.authorities(), known(leaf)))


def test_malformed_hash_data_is_a_value_error():
    with pytest.raises(ValueError):
        ocsp.request_for(ocsp.HashData("MD5", "00", "00", "01"))
    with pytest.raises(ValueError):
        ocsp.request_for(ocsp.HashData("SHA256", "zz", "00", "01"))
