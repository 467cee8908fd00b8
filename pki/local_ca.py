"""The CSMS's own CA: a root, and sub-CAs for station certificates, V2G certificates and (lab) contract certificates,
created on first start in a directory of files or built under a root the operator brings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa

from pki.authority import (
    Authority,
    load_certificate,
    load_private_key,
    name,
    pem,
    new_key,
    now,
    write_certificate,
    write_private_key,
)
from pki.issuing import issue_ca, issue_leaf

ROOT_DAYS, SUB_CA_DAYS, SERVER_DAYS = 3650, 1825, 365
SUB_CAS = {  # file stem → the common name of the sub-CA
    "station-ca": "Charging Station CA",
    "v2g-ca": "V2G CA",
    "contract-ca": "Contract CA",
}


@dataclass
class LocalCA:
    """The root and its sub-CAs. Station certificates come from `stations`, V2G (SECC) ones from `v2g`.

    `ocsp_url` is our responder's address, put in every certificate issued; known once the API listens.
    """

    root: Authority
    stations: Authority
    v2g: Authority
    contracts: Authority
    directory: Path
    ocsp_url: str | None = None

    def issuer_of(self, certificate_type: str) -> Authority:
        """The sub-CA that signs a CSR of this OCPP certificate type."""
        return self.v2g if certificate_type == "V2GCertificate" else self.stations

    def authorities(self) -> tuple[Authority, ...]:
        return (self.root, self.stations, self.v2g, self.contracts)

    def trusted_pem(self) -> str:
        """The root and the sub-CAs that sign client certificates: what a TLS server verifies stations against."""
        return "".join(pem(authority.certificate) for authority in (self.root, self.stations, self.v2g))

    def server_certificates(self, hosts: list[str]) -> list[tuple[Path, Path]]:
        """Files of TLS server certificates for `hosts` signed by the root, an ECDSA and an RSA one (OCPP asks for
        cipher suites of both kinds); each reissued when missing, expiring within a day, or for other hosts.
        Returns (certificate, key) pairs."""
        return [self._server_certificate(hosts, kind) for kind in ("ec", "rsa")]

    def _server_certificate(self, hosts: list[str], kind: str) -> tuple[Path, Path]:
        cert_path, key_path = self.directory / f"server-{kind}.pem", self.directory / f"server-{kind}.key"
        if cert_path.exists() and key_path.exists() and _serves(load_certificate(cert_path), self.root, hosts):
            return cert_path, key_path
        key = new_key() if kind == "ec" else rsa.generate_private_key(65537, 2048)
        subject = name(hosts[0], _organisation(self.root))
        certificate = issue_leaf(self.root, subject, key.public_key(), "Server", SERVER_DAYS, hosts=hosts)
        write_private_key(key_path, key)
        write_certificate(cert_path, certificate)
        return cert_path, key_path


def open_ca(config: Any) -> LocalCA:
    """The CA of a Config (`pki_directory`, `org_name`, `ca_cert`, `ca_key`)."""
    root_certificate = Path(config.ca_cert) if config.ca_cert else None
    root_key = Path(config.ca_key) if config.ca_key else None
    return load_or_create(config.pki_directory, config.org_name, root_certificate, root_key)


def load_or_create(
    directory: Path, organisation: str | None, root_certificate: Path | None = None, root_key: Path | None = None
) -> LocalCA:
    """The CA kept in `directory` (created with mode 0700 on first use). With `root_certificate` and `root_key`,
    that root signs the sub-CAs instead of one of our own."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if root_certificate and root_key:
        root = Authority(load_certificate(root_certificate), load_private_key(root_key))
    else:
        root = _load_or_issue(directory, "root-ca", None, lambda key: issue_ca(
            name("CSMS Root CA", organisation or "CSMS"), key, None, ROOT_DAYS, path_length=1))
    subs = {
        stem: _load_or_issue(directory, stem, root, lambda key, title=title: issue_ca(
            name(title, organisation or _organisation(root)), key, root, SUB_CA_DAYS, path_length=0))
        for stem, title in SUB_CAS.items()
    }
    return LocalCA(root, subs["station-ca"], subs["v2g-ca"], subs["contract-ca"], directory)


def _load_or_issue(directory: Path, stem: str, parent: Authority | None, issue) -> Authority:
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    if cert_path.exists() and key_path.exists():
        certificate = load_certificate(cert_path)
        if _still_good(certificate, parent):
            parents = (parent.certificate, *parent.parents) if parent else ()
            return Authority(certificate, load_private_key(key_path), parents)
    authority = issue(new_key())
    write_private_key(key_path, authority.key)
    write_certificate(cert_path, authority.certificate)
    return authority


def _still_good(certificate: x509.Certificate, parent: Authority | None) -> bool:
    """Not expired, and (for a sub-CA) signed by the current root: a new root means new sub-CAs."""
    if certificate.not_valid_after_utc <= now():
        return False
    if parent is None:
        return True
    try:
        certificate.verify_directly_issued_by(parent.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _serves(certificate: x509.Certificate, root: Authority, hosts: list[str]) -> bool:
    if not _still_good(certificate, root) or (certificate.not_valid_after_utc - now()).days < 1:
        return False
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    present = {str(value) for value in names.get_values_for_type(x509.DNSName)}
    present |= {str(value) for value in names.get_values_for_type(x509.IPAddress)}
    return present == set(hosts)


def _organisation(root: Authority) -> str:
    values = root.certificate.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else "CSMS"
