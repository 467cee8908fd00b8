"""The command line: `serve` (the default) and helper sub-commands."""
from __future__ import annotations

import click
from click_default_group import DefaultGroup

import logs
from config import Config


@click.group(cls=DefaultGroup, default="serve", default_if_no_args=True)
def main() -> None:
    """A small OCPP 1.6J / 2.0.1 CSMS on one SQLite file."""


@main.command()
def serve() -> None:
    """Start the API, OCPI and OCPP listeners in this process (settings from CSMS_* variables)."""
    import server

    try:
        config = Config.from_env()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    logs.configure(config.log_level, config.log_format)
    server.serve(config)


@main.command("encode-password")
@click.argument("password")
def encode_password(password: str) -> None:
    """Print base64(SHA-256(PASSWORD)), the `base64SHA256Password` the register API takes."""
    from storage.stations import password_hash

    click.echo(password_hash(password))


@main.command("ca-certificate")
def ca_certificate() -> None:
    """Print the local CA's root certificate (PEM), created on first use; install it on stations that connect
    over wss (files from CSMS_PKI_DIR, default `<database name>-pki` beside CSMS_DB)."""
    from pki.authority import pem
    from pki.local_ca import open_ca

    try:
        config = Config.from_env()
        click.echo(pem(open_ca(config).root.certificate), nl=False)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from error
