"""TLS for simulated stations: trusting the CSMS's root, a station key with its CSR, and a client certificate."""
from __future__ import annotations

import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def csr_pem(key: ec.EllipticCurvePrivateKey, cs_id: str, organisation: str | None) -> str:
    """A CSR with CN = the station id (and O when given), as a CSMS checks it."""
    names = [x509.NameAttribute(NameOID.COMMON_NAME, cs_id)]
    if organisation:
        names.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(names)).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode()


def client_context(root_pem: str, chain_pem: str | None = None,
                   key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None) -> ssl.SSLContext:
    """Trust `root_pem`; with `chain_pem` and `key`, present them as the station's certificate (profile 3)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=root_pem)
    if chain_pem is not None and key is not None:
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        # ssl loads a certificate chain from files only; they live just long enough to be read.
        with tempfile.TemporaryDirectory() as folder:
            chain_file, key_file = Path(folder, "chain.pem"), Path(folder, "key.pem")
            chain_file.write_text(chain_pem)
            key_file.touch(mode=0o600)
            key_file.write_bytes(key_pem)
            context.load_cert_chain(chain_file, key_file)
    return context
