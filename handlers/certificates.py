"""A station's certificate signing request, both versions: checked, signed by the local CA's right sub-CA, recorded,
and the chain queued as CertificateSigned; a refused CSR is a security event with the reason."""
from __future__ import annotations

from cryptography import x509

from handlers.routing import CallContext
from pki.csr import CsrRefused, checked_csr
from pki.fingerprints import certificate_hash, serial_hex, summary
from pki.issuing import issue_leaf
from storage import certificates, commands, issued_certificates, utc_now_iso
from storage.security_events import add_security_event

STATION_CERTIFICATE = "ChargingStationCertificate"


def sign_csr(ctx: CallContext, csr_text: str, certificate_type: str | None) -> str:
    """"Accepted" once the certificate is issued and its CertificateSigned queued, else "Rejected".

    `certificate_type` None (2.0.1 without one, 1.6's own SignCertificate) asks for a station certificate.
    """
    kind = certificate_type or STATION_CERTIFICATE
    if ctx.ca is None:
        ctx.log.warning("%s %s: no certificate authority; CSR rejected", ctx.action, ctx.message_id)
        return "Rejected"
    try:
        csr = checked_csr(csr_text, ctx.cs_id, kind, ctx.config.org_name, ctx.config.csr_check_subject)
    except CsrRefused as refusal:
        ctx.log.warning("%s %s: CSR rejected: %s", ctx.action, ctx.message_id, refusal)
        add_security_event(ctx.store, ctx.cs_id, "CsrRejected", utc_now_iso(), f"{kind}: {refusal}"[:255], "csms")
        return "Rejected"
    issuer = ctx.ca.issuer_of(kind)
    leaf = issue_leaf(issuer, csr.subject, csr.public_key(), kind, ctx.config.certificate_days, ctx.ca.ocsp_url)
    chain = issuer.chain_pem(leaf)
    params = {"certificateChain": chain, **({"certificateType": certificate_type} if certificate_type else {})}

    def job(db) -> None:
        issued_certificates.record_issued(db, {**summary(leaf), "cs_id": ctx.cs_id, "certificate_type": kind, "pem": chain})
        certificates.store_certificate(db, _store_row(leaf, chain))
        commands.queue_command(db, ctx.cs_id, "certificateSigned", params, "automatic")

    ctx.store.write(job)
    ctx.log.info("%s %s: issued %s %s", ctx.action, ctx.message_id, kind, serial_hex(leaf))
    return "Accepted"


def _store_row(leaf: x509.Certificate, chain: str) -> dict:
    # The certificate store serves proxies' client-certificate look-ups by hash (X-Client-Cert-Hash).
    return {
        "hash": certificate_hash(leaf),
        "pem": chain,
        "subject": leaf.subject.rfc4514_string(),
        "not_after": leaf.not_valid_after_utc.isoformat(),
    }
