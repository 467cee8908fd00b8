"""The local CA: created once with owner-only keys, reloaded as it is, rebuilt under a root the operator brings."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from pki.authority import name, new_key, write_certificate, write_private_key
from pki.issuing import issue_ca, issue_leaf
from pki.local_ca import load_or_create
from tests.conftest import ROOT


@pytest.fixture
def ca(tmp_path):
    return load_or_create(tmp_path / "pki", "ACME")


def test_created_with_owner_only_keys_and_reloaded_unchanged(ca, tmp_path):
    directory = tmp_path / "pki"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    keys = sorted(path.name for path in directory.glob("*.key"))
    assert keys == ["contract-ca.key", "root-ca.key", "station-ca.key", "v2g-ca.key"]
    assert all(stat.S_IMODE((directory / key).stat().st_mode) == 0o600 for key in keys)
    again = load_or_create(directory, "ACME")
    assert [a.certificate for a in again.authorities()] == [a.certificate for a in ca.authorities()]


def test_sub_cas_chain_to_the_root(ca):
    for authority in (ca.stations, ca.v2g, ca.contracts):
        authority.certificate.verify_directly_issued_by(ca.root.certificate)
        assert authority.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.issuer_of("V2GCertificate") is ca.v2g and ca.issuer_of("ChargingStationCertificate") is ca.stations


def test_a_root_brought_by_the_operator_signs_new_sub_cas(ca, tmp_path):
    key = new_key()
    root = issue_ca(name("Lab Root", "Lab"), key, None, 365, path_length=1)
    write_certificate(tmp_path / "lab.pem", root.certificate)
    write_private_key(tmp_path / "lab.key", key)
    lab = load_or_create(tmp_path / "pki", "ACME", tmp_path / "lab.pem", tmp_path / "lab.key")
    assert lab.root.certificate == root.certificate
    lab.stations.certificate.verify_directly_issued_by(root.certificate)
    assert lab.stations.certificate != ca.stations.certificate


def test_leaf_certificates_carry_the_ocsp_responder_and_their_usage(ca):
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = issue_leaf(ca.stations, name("cs1", "ACME"), key.public_key(), "ChargingStationCertificate", 365,
                      "http://127.0.0.1:9410/ocsp")
    leaf.verify_directly_issued_by(ca.stations.certificate)
    access = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [item.access_location.value for item in access] == ["http://127.0.0.1:9410/ocsp"]
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    chain = ca.stations.chain_pem(leaf)
    assert chain.count("BEGIN CERTIFICATE") == 2


def test_server_certificates_name_their_hosts_and_are_kept_until_they_change(ca):
    pairs = ca.server_certificates(["localhost", "127.0.0.1"])
    certificates = [x509.load_pem_x509_certificate(cert.read_bytes()) for cert, _ in pairs]
    assert isinstance(certificates[0].public_key(), ec.EllipticCurvePublicKey)
    assert isinstance(certificates[1].public_key(), rsa.RSAPublicKey)
    for certificate in certificates:
        certificate.verify_directly_issued_by(ca.root.certificate)
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert names.get_values_for_type(x509.DNSName) == ["localhost"]
        assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert all(stat.S_IMODE(key.stat().st_mode) == 0o600 for _, key in pairs)
    assert ca.server_certificates(["localhost", "127.0.0.1"]) == pairs
    assert [cert.read_bytes() for cert, _ in ca.server_certificates(["localhost", "127.0.0.1"])] == [
        cert.read_bytes() for cert, _ in pairs
    ]
    other = x509.load_pem_x509_certificate(ca.server_certificates(["localhost", "csms.lab"])[0][0].read_bytes())
    assert other.serial_number != certificates[0].serial_number


def test_the_cli_prints_the_root_the_server_uses(tmp_path):
    env = os.environ | {"CSMS_DB": str(tmp_path / "lab.sqlite3")}
    printed = subprocess.run([sys.executable, str(ROOT / "app.py"), "ca-certificate"], env=env, capture_output=True,
                             text=True, timeout=60, check=True).stdout
    again = subprocess.run([sys.executable, str(ROOT / "app.py"), "ca-certificate"], env=env, capture_output=True,
                           text=True, timeout=60, check=True).stdout
    assert printed == again == (tmp_path / "lab-pki" / "root-ca.pem").read_text()
    assert x509.load_pem_x509_certificate(printed.encode()).extensions.get_extension_for_class(x509.BasicConstraints).value.ca
