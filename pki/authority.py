"""One certificate authority (certificate and private key), its files, and the keys and names it is built from."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class Authority:
    """A CA that signs: its certificate, its key, and the certificates above it up to the root (nearest first)."""

    certificate: x509.Certificate
    key: PrivateKey
    parents: tuple[x509.Certificate, ...] = ()

    def chain_pem(self, leaf: x509.Certificate) -> str:
        """`leaf` followed by this CA's certificate (what CertificateSigned carries), PEM."""
        return "".join(pem(cert) for cert in (leaf, self.certificate))


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def new_key() -> ec.EllipticCurvePrivateKey:
    """A new CA or server key: ECDSA P-256 (fast to sign with, accepted by every OCPP 2.0.1 station)."""
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name: str, organisation: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(attributes)


def signing_hash(key: PrivateKey) -> hashes.HashAlgorithm:
    """SHA-256 for both key types: ECDSA for EC keys, RSA PKCS#1 v1.5 for RSA keys (what OCTT expects)."""
    return hashes.SHA256()


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def write_private_key(path: Path, key: PrivateKey) -> None:
    """Write a key readable by its owner only (mode 0600 from the first byte, never widened later)."""
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(descriptor, 0o600)
        file.write(data)


def write_certificate(path: Path, certificate: x509.Certificate) -> None:
    path.write_text(pem(certificate))


def load_private_key(path: Path) -> PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise ValueError(f"{path}: only EC and RSA keys can sign certificates here")
    return key


def load_certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())
