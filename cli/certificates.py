"""`certificate hash|upload|list|delete`: the client certificate store (hash works offline on a PEM file)."""
from __future__ import annotations

from pathlib import Path

import click
from cryptography import x509

from cli.common import api_option, client, json_option, page_options, show_list
from pki.fingerprints import certificate_hash

COLUMNS = (("certificateHash", "hash"), ("subject", "subject"), ("notAfter", "not after"), ("createdAt", "stored"))


@click.group("certificate")
def certificate() -> None:
    """Client certificates: hash a PEM file, upload, list, delete."""


def _read_pem(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())[0]
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror}") from None
    except ValueError as error:
        raise click.ClickException(f"{path} holds no PEM certificate: {error}") from None


@certificate.command("hash")
@click.argument("pem_file", type=click.Path(path_type=Path, dir_okay=False))
def hash_certificate(pem_file: Path) -> None:
    """Print the hash the store files PEM_FILE's (first) certificate under: base64url SHA-256 of its DER bytes."""
    click.echo(certificate_hash(_read_pem(pem_file)))


@certificate.command("upload")
@click.argument("pem_file", type=click.Path(path_type=Path, dir_okay=False))
@api_option
def upload(pem_file: Path, api_url: str, api_token: str | None) -> None:
    """Store PEM_FILE's certificate; prints its hash."""
    parsed = _read_pem(pem_file)
    client(api_url, api_token).post("/certificate", {"certificate": pem_file.read_text()})
    click.echo(certificate_hash(parsed))


@certificate.command("list")
@api_option
@json_option
@page_options
def list_certificates(api_url: str, api_token: str | None, as_json: bool, offset: int, limit: int) -> None:
    """The stored certificates, by hash."""
    rows = client(api_url, api_token).get("/certificate", offset=offset, limit=limit)
    show_list(rows, as_json, COLUMNS, "no certificates")


@certificate.command("delete")
@click.argument("certificate_hash")
@api_option
def delete(certificate_hash: str, api_url: str, api_token: str | None) -> None:
    """Delete a stored certificate by its hash."""
    client(api_url, api_token).delete(f"/certificate/{certificate_hash}")
    click.echo(f"deleted {certificate_hash}")


COMMANDS = [certificate]
