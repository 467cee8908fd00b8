"""Test certificates made with `cryptography`: a CA, server and station certificates, PEM files on disk."""
from __future__ import annotations

import base64
import datetime
import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def write(self, directory: Path, name: str) -> tuple[str, str]:
        cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
        cert_path.write_bytes(self.pem())
        key_path.write_bytes(self.key_pem())
        return str(cert_path), str(key_path)

    def table_hash(self) -> str:
        """The certificates table key: unpadded base64url SHA-256 of the DER."""
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")


def _name(cn: str, org: str | None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(parts)


def issue(
    cn: str,
    org: str | None = None,
    issuer: Issued | None = None,
    is_ca: bool = False,
    expired: bool = False,
    server: bool = False,
) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = (now - datetime.timedelta(days=30), now - datetime.timedelta(days=1)) if expired else (
        now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30))
    subject = _name(cn, org)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def make_pki(directory: Path, org: str) -> dict:
    """A server CA with a `localhost` certificate, a station CA and a rogue CA, written to `directory`.

    Keys: dir, env (the CSMS_TLS_* settings of a server using them), server_ca, server_ca_path, station_ca, rogue_ca.
    """
    server_ca, station_ca = issue("Server CA", org, is_ca=True), issue("Station CA", org, is_ca=True)
    server_cert, server_key = issue("localhost", org, server_ca, server=True).write(directory, "server")
    server_ca_path, _ = server_ca.write(directory, "server-ca")
    station_ca_path, _ = station_ca.write(directory, "station-ca")
    env = {"CSMS_TLS_CERT": server_cert, "CSMS_TLS_KEY": server_key, "CSMS_TLS_CLIENT_CA": station_ca_path,
           "CSMS_ORG_NAME": org}
    return {"dir": directory, "env": env, "server_ca": server_ca, "server_ca_path": server_ca_path,
            "station_ca": station_ca, "rogue_ca": issue("Rogue CA", org, is_ca=True)}


def client_context(pki: dict, client: Issued | None = None, check_hostname: bool = True) -> ssl.SSLContext:
    """A station's TLS context: trusts the CSMS's CA, optionally shows a client certificate."""
    context = ssl.create_default_context(cafile=pki["server_ca_path"])
    context.check_hostname = check_hostname
    if client is not None:
        cert, key = client.write(Path(pki["dir"]), f"client-{id(client)}")
        context.load_cert_chain(cert, key)
    return context


def csr(cs_id: str, org: str | None = None, key=None) -> str:
    """A PEM certificate signing request for `cs_id` (and O = `org`), signed with `key` (default a new P-256 one)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    request = x509.CertificateSigningRequestBuilder().subject_name(_name(cs_id, org)).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode()
