"""The wss listener's TLS context and the station's client certificate as the TLS handshake verified it."""
from __future__ import annotations

import ssl

from cryptography import x509

from config import Config
from pki.local_ca import LocalCA


def server_context(config: Config, ca: LocalCA) -> ssl.SSLContext:
    """TLS ≥1.2 without compression, with CSMS_TLS_CERT/KEY or else the local CA's ECDSA and RSA server
    certificates. Client certificates are optional (profiles 1 and 2 share the port) and, when presented,
    verified against CSMS_TLS_CLIENT_CA and the local CA, so an untrusted or expired one fails the handshake."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION
    if config.tls_cert and config.tls_key:
        context.load_cert_chain(config.tls_cert, config.tls_key)
    else:
        for cert_path, key_path in ca.server_certificates(server_hosts(config)):
            context.load_cert_chain(cert_path, key_path)
    if config.tls_client_ca:
        context.load_verify_locations(cafile=config.tls_client_ca)
    context.load_verify_locations(cadata=ca.trusted_pem())
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def server_hosts(config: Config) -> list[str]:
    """The names the local CA's server certificate is for."""
    return list(dict.fromkeys(["localhost", "127.0.0.1", *([config.public_host] if config.public_host else [])]))


def peer_certificate(sock: object) -> x509.Certificate | None:
    """The verified client certificate of a TLS socket, or None (plain socket, or no certificate sent)."""
    getpeercert = getattr(sock, "getpeercert", None)
    if getpeercert is None:
        return None
    try:
        der = getpeercert(binary_form=True)
    except (ValueError, OSError):
        return None
    return x509.load_der_x509_certificate(der) if der else None


def is_tls(sock: object) -> bool:
    return hasattr(sock, "getpeercert")
