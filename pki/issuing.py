"""Certificates the local CA signs: its own sub-CAs, station and V2G certificates, server and contract certificates."""
from __future__ import annotations

import datetime
import ipaddress
from typing import Iterable

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from pki.authority import Authority, PrivateKey, now, signing_hash

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
BACKDATE = datetime.timedelta(minutes=5)  # tolerate station clocks a little behind ours

# Extended key usages per kind of leaf certificate.
USAGES = {
    "ChargingStationCertificate": (ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH),
    "V2GCertificate": (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH),
    "Server": (ExtendedKeyUsageOID.SERVER_AUTH,),
    "Contract": (ExtendedKeyUsageOID.CLIENT_AUTH,),
}


def _builder(subject: x509.Name, public_key: PublicKey, issuer: x509.Name, days: int) -> x509.CertificateBuilder:
    start = now() - BACKDATE
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def issue_ca(subject: x509.Name, key: PrivateKey, parent: Authority | None, days: int, path_length: int | None) -> Authority:
    """A root (no parent) or a sub-CA signed by `parent`."""
    issuer_name = parent.certificate.subject if parent else subject
    builder = _builder(subject, key.public_key(), issuer_name, days)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
    builder = builder.add_extension(
        x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
    )
    signer = parent.key if parent else key
    if parent is not None:
        builder = builder.add_extension(_authority_key_id(parent), critical=False)
    certificate = builder.sign(signer, signing_hash(signer))
    parents = (parent.certificate, *parent.parents) if parent else ()
    return Authority(certificate, key, parents)


def issue_leaf(
    issuer: Authority,
    subject: x509.Name,
    public_key: PublicKey,
    kind: str,
    days: int,
    ocsp_url: str | None = None,
    hosts: Iterable[str] = (),
) -> x509.Certificate:
    """An end-entity certificate of `kind` (a key of USAGES) signed by `issuer`, with the OCSP responder in its AIA."""
    builder = _builder(subject, public_key, issuer.certificate.subject, days)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(_key_usage(public_key), critical=True)
    builder = builder.add_extension(x509.ExtendedKeyUsage(list(USAGES[kind])), critical=False)
    builder = builder.add_extension(_authority_key_id(issuer), critical=False)
    if ocsp_url:
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    names = [_general_name(host) for host in hosts]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer.key, signing_hash(issuer.key))


def _authority_key_id(issuer: Authority) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key())  # type: ignore[arg-type]


def _key_usage(public_key: PublicKey) -> x509.KeyUsage:
    is_rsa = isinstance(public_key, rsa.RSAPublicKey)
    # digital_signature, content_commitment, key_encipherment, data_encipherment, key_agreement, cert_sign, crl_sign
    return x509.KeyUsage(True, False, is_rsa, False, not is_rsa, False, False, False, False)


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)
