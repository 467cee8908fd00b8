"""`token list|set|show|delete`: the authorization tokens, through the API."""
from __future__ import annotations

import click

from cli.common import api_option, client, echo_json, json_option, page_options, print_record, show_list
from schemas.emaid import EmaidError, normalise_emaid
from schemas.tokens import CACHE_MODES, TOKEN_TYPES

COLUMNS = (
    ("uid", "uid"), ("type", "type"), ("contractId", "contract id"), ("valid", "valid"), ("issuer", "issuer"),
    ("groupId", "group"), ("cacheMode", "cache"), ("expiryDate", "expires"),
)
DETAIL = COLUMNS + (
    ("countryCode", "country"), ("partyId", "party"), ("visualNumber", "visual number"),
    ("languageCode", "language"), ("lastUpdated", "updated"),
)


@click.group("token")
def token() -> None:
    """Authorization tokens: list, set, show, delete."""


@token.command("list")
@api_option
@json_option
@page_options
def list_tokens(api_url: str, api_token: str | None, as_json: bool, offset: int, limit: int) -> None:
    """The tokens, by uid."""
    rows = client(api_url, api_token).get("/token", offset=offset, limit=limit)
    show_list(rows, as_json, COLUMNS, "no tokens")


@token.command("show")
@click.argument("uid")
@api_option
@json_option
def show(uid: str, api_url: str, api_token: str | None, as_json: bool) -> None:
    """One token."""
    found = client(api_url, api_token).get(f"/token/{uid}")
    echo_json(found) if as_json else print_record(found, DETAIL)


@token.command("set")
@click.argument("uid")
@click.option("--contract-id", required=True, help="The eMAID, e.g. GB-TWK-012345678-V.")
@click.option("--type", "token_type", default="RFID", show_default=True,
              type=click.Choice(TOKEN_TYPES))
@click.option("--issuer", default="CSMS", show_default=True)
@click.option("--invalid", is_flag=True, help="Store the token as not valid (Authorize answers Blocked).")
@click.option("--cache-mode", default="ALWAYS", show_default=True,
              type=click.Choice(CACHE_MODES))
@click.option("--group-id")
@click.option("--visual-number")
@click.option("--expiry-date", help="RFC 3339 with a time zone; after it Authorize answers Expired.")
@api_option
def set_token(uid: str, contract_id: str, token_type: str, issuer: str, invalid: bool, cache_mode: str,
              group_id: str | None, visual_number: str | None, expiry_date: str | None, api_url: str,
              api_token: str | None) -> None:
    """Create or replace the token UID (country and party come from the contract id)."""
    try:
        emaid = normalise_emaid(contract_id)
    except EmaidError as error:
        raise click.BadParameter(str(error), param_hint="--contract-id") from None
    body = {
        "uid": uid, "type": token_type, "contractId": contract_id, "countryCode": emaid[:2], "partyId": emaid[2:5],
        "issuer": issuer, "valid": not invalid, "cacheMode": cache_mode, "groupId": group_id,
        "visualNumber": visual_number, "expiryDate": expiry_date,
    }
    client(api_url, api_token).post("/token", {key: value for key, value in body.items() if value is not None})
    click.echo(f"token {uid} set")


@token.command("delete")
@click.argument("uid")
@api_option
def delete(uid: str, api_url: str, api_token: str | None) -> None:
    """Delete a token."""
    client(api_url, api_token).delete(f"/token/{uid}")
    click.echo(f"deleted token {uid}")


COMMANDS = [token]
