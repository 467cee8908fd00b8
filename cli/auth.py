"""`auth encode-password|generate-credential`: station passwords and their stored form."""
from __future__ import annotations

import secrets
import string

import click

from cli.common import api_option, client

PASSWORD_LENGTH = 32  # OCPP 2.0.1 passwordString: 16-40 characters
KEY_BYTES = 20  # OCPP 1.6 AuthorizationKey: 40 hex characters
SETTING = {"1.6": "AuthorizationKey", "2.0.1": "SecurityCtrlr/BasicAuthPassword", "2.1": "SecurityCtrlr/BasicAuthPassword"}


@click.group("auth")
def auth() -> None:
    """Station credentials: a password's stored form, a new credential."""


@click.command("encode-password")
@click.argument("password")
def encode_password(password: str) -> None:
    """Print base64(SHA-256(PASSWORD)), the `base64SHA256Password` the register API takes."""
    from storage.stations import password_hash

    click.echo(password_hash(password))


def new_credential(version: str) -> str:
    """A random Basic auth password as the version wants it."""
    if version == "1.6":
        return secrets.token_hex(KEY_BYTES)
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))


@auth.command("generate-credential")
@click.option("--version", "version", type=click.Choice(["1.6", "2.0.1", "2.1"]),
              help="The OCPP version it is for (default: the station's, else 2.0.1).")
@click.option("--station", "cs_id", help="Also send it to this station (AuthorizationKey / BasicAuthPassword); the "
                                         "CSMS stores its hash once the station accepts it.")
@api_option
def generate_credential(version: str | None, cs_id: str | None, api_url: str, api_token: str | None) -> None:
    """Print a new station password alone on stdout: 40 hex characters for 1.6, 32 letters and digits for 2.0.1."""
    if cs_id is None:
        click.echo(new_credential(version or "2.0.1"))
        return
    api = client(api_url, api_token)
    version = version or api.get(f"/cs/{cs_id}").get("ocppVersion") or "2.0.1"
    password = new_credential(version)
    api.post(f"/cs/{cs_id}/reconfigure", {SETTING[version]: password})
    click.echo(password)
    click.echo(f"queued for {cs_id} as {SETTING[version]}; its hash is stored once the station accepts it", err=True)


auth.add_command(encode_password)
COMMANDS = [auth]
