"""`station list|show|register|delete`: the stations the CSMS knows, through its API."""
from __future__ import annotations

import click

from cli.common import api_option, client, echo_json, json_option, page_options, print_record, print_table, show_list

COLUMNS = (
    ("id", "id"), ("securityProfile", "profile"), ("connected", "connected"), ("ocppVersion", "OCPP"),
    ("bootStatus", "boot"), ("vendor", "vendor"), ("model", "model"), ("lastSeen", "last seen"),
)
DETAIL = COLUMNS + (
    ("serialNumber", "serial number"), ("firmwareVersion", "firmware"), ("invalidUsernameAllowed", "any username"),
)
CONNECTORS = (("evseId", "EVSE"), ("connectorId", "connector"), ("status", "status"), ("errorCode", "error"),
              ("updatedAt", "updated"))


@click.group("station")
def station() -> None:
    """Charge stations: list, show, register, delete."""


@station.command("list")
@api_option
@json_option
@page_options
def list_stations(api_url: str, api_token: str | None, as_json: bool, offset: int, limit: int) -> None:
    """The registered stations, by id."""
    rows = client(api_url, api_token).get("/cs", offset=offset, limit=limit)
    show_list(rows, as_json, COLUMNS, "no stations")


@station.command("show")
@click.argument("cs_id")
@api_option
@json_option
def show(cs_id: str, api_url: str, api_token: str | None, as_json: bool) -> None:
    """One station: connection, boot facts and connectors."""
    found = client(api_url, api_token).get(f"/cs/{cs_id}")
    if as_json:
        echo_json(found)
        return
    print_record(found, DETAIL)
    if found.get("connectors"):
        print_table(found["connectors"], CONNECTORS, title="connectors")


@station.command("register")
@click.argument("cs_id")
@click.option("--profile", type=click.IntRange(0, 2), default=0, show_default=True,
              help="0: ws:// + password, 1: wss:// + password, 2: wss:// + client certificate.")
@click.option("--password", help="The station's Basic auth password (sent hashed).")
@click.option("--password-hash", help="The password's base64 SHA-256, as `auth encode-password` prints it.")
@click.option("--any-username", is_flag=True, help="Accept a Basic auth username other than the station id.")
@api_option
def register(cs_id: str, profile: int, password: str | None, password_hash: str | None, any_username: bool,
             api_url: str, api_token: str | None) -> None:
    """Register a station, or change the auth of one that exists."""
    from storage.stations import password_hash as hashed

    if password is not None and password_hash is not None:
        raise click.UsageError("give --password or --password-hash, not both")
    body = {"securityProfile": profile, "invalidUsernameAllowed": any_username}
    if password is not None or password_hash is not None:
        body["base64SHA256Password"] = password_hash or hashed(password or "")
    client(api_url, api_token).post(f"/cs/{cs_id}", body)
    click.echo(f"registered {cs_id} (security profile {profile})")


@station.command("delete")
@click.argument("cs_id")
@api_option
def delete(cs_id: str, api_url: str, api_token: str | None) -> None:
    """Delete a station with its settings and outbox and close its connection (its transactions stay)."""
    client(api_url, api_token).delete(f"/cs/{cs_id}")
    click.echo(f"deleted {cs_id}")


COMMANDS = [station]
