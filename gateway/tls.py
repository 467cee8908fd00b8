"""The wss listener's TLS context and the station's client certificate as the TLS handshake verified it."""
from __future__ import annotations

import ssl

from cryptography import x509

from config import Config


def server_context(config: Config) -> ssl.SSLContext | None:
    """TLS ≥1.2 without compression; client certificates optional (profiles 1 and 2 share the port) and, when
    presented, verified against CSMS_TLS_CLIENT_CA so an untrusted or expired one fails the handshake."""
    if not (config.tls_cert and config.tls_key):
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION
    context.load_cert_chain(config.tls_cert, config.tls_key)
    if config.tls_client_ca:
        context.load_verify_locations(cafile=config.tls_client_ca)
        context.verify_mode = ssl.CERT_OPTIONAL
    return context


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
