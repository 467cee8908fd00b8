"""`command send|list|show`: a station's outbox, through the API; send queues any CSMS-initiated action."""
from __future__ import annotations

import time

import click

from api_client import ApiClient
from cli.common import (
    api_option, client, echo_json, json_option, page_options, parse_json, print_record, show_list,
)

COLUMNS = (("id", "id"), ("operation", "operation"), ("action", "action"), ("status", "status"),
           ("createdAt", "created"), ("completedAt", "completed"), ("response", "response"))
DETAIL = COLUMNS + (("params", "params"), ("request", "request"), ("sentAt", "sent"))
FINAL = ("completed", "failed", "expired")
POLL_SECONDS = 0.2


@click.group("command")
def command() -> None:
    """A station's commands (outbox): send, list, show."""


def wait_for_command(api: ApiClient, cs_id: str, command_id: int, seconds: float) -> dict:
    """The command once it is completed, failed or expired; ClickException when it is not within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = api.get(f"/cs/{cs_id}/commands/{command_id}")
        if found["status"] in FINAL:
            return found
        if time.monotonic() > deadline:
            raise click.ClickException(f"command {command_id} still {found['status']} after {seconds:g} s")
        time.sleep(POLL_SECONDS)


@command.command("send")
@click.argument("cs_id")
@click.argument("action")
@click.argument("payload", default="{}")
@click.option("--wait", type=click.FloatRange(0), default=0, metavar="SECONDS",
              help="Wait this long for the station's answer (exit 1 unless the command completes).")
@api_option
@json_option
def send(cs_id: str, action: str, payload: str, wait: float, api_url: str, api_token: str | None,
         as_json: bool) -> None:
    """Queue ACTION with PAYLOAD (JSON, camelCase as the OCPP spec spells it) for the station."""
    api = client(api_url, api_token)
    queued = api.post(f"/cs/{cs_id}/call", {"action": action, "payload": parse_json(payload, "PAYLOAD")})
    done = wait_for_command(api, cs_id, queued["id"], wait) if wait else queued
    if as_json:
        echo_json(done)
    else:
        print_record(done, DETAIL)
    if wait and done["status"] != "completed":
        raise SystemExit(1)


@command.command("list")
@click.argument("cs_id")
@api_option
@json_option
@page_options
def list_commands(cs_id: str, api_url: str, api_token: str | None, as_json: bool, offset: int, limit: int) -> None:
    """The station's commands, newest first."""
    rows = client(api_url, api_token).get(f"/cs/{cs_id}/commands", offset=offset, limit=limit)
    show_list(rows, as_json, COLUMNS, f"no commands for {cs_id}")


@command.command("show")
@click.argument("cs_id")
@click.argument("command_id", type=click.IntRange(0))
@api_option
@json_option
def show(cs_id: str, command_id: int, api_url: str, api_token: str | None, as_json: bool) -> None:
    """One command with its request and the station's answer."""
    found = client(api_url, api_token).get(f"/cs/{cs_id}/commands/{command_id}")
    echo_json(found) if as_json else print_record(found, DETAIL)


COMMANDS = [command]
