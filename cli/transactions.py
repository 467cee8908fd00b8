"""`transaction list|show|export`: transactions and their meter values, through the API; export writes CSV."""
from __future__ import annotations

import contextlib
import csv
import sys
from pathlib import Path

import click

from cli.common import api_option, client, echo_json, json_option, page_options, print_record, print_table, show_list

COLUMNS = (
    ("transactionId", "id"), ("csId", "station"), ("evseId", "EVSE"), ("idToken", "token"), ("startedAt", "started"),
    ("stoppedAt", "stopped"), ("energy", "energy Wh"), ("stopReason", "reason"), ("status", "status"),
)
FIELDS = ("transactionId", "csId", "evseId", "connectorId", "idToken", "startedAt", "stoppedAt", "meterStart",
          "meterStop", "energy", "stopReason", "status")
METER = (("timestamp", "time"), ("measurand", "measurand"), ("phase", "phase"), ("value", "value"), ("unit", "unit"))
SHOWN_METER_VALUES = 50


@click.group("transaction")
def transaction() -> None:
    """Transactions: list, show, export as CSV."""


@transaction.command("list")
@click.option("--station", "cs_id", help="Only this station's.")
@api_option
@json_option
@page_options
def list_transactions(cs_id: str | None, api_url: str, api_token: str | None, as_json: bool, offset: int,
                      limit: int) -> None:
    """Transactions, newest first."""
    params = {"offset": offset, "limit": limit} | ({"csId": cs_id} if cs_id else {})
    show_list(client(api_url, api_token).get("/transactions", **params), as_json, COLUMNS, "no transactions")


@transaction.command("show")
@click.argument("transaction_id")
@click.option("--station", "cs_id", help="The station, where two stations used the same 2.0.1 id.")
@api_option
@json_option
def show(transaction_id: str, cs_id: str | None, api_url: str, api_token: str | None, as_json: bool) -> None:
    """One transaction with its meter values (the first 1,000; --json for all of them)."""
    found = client(api_url, api_token).get(f"/transactions/{transaction_id}", **({"csId": cs_id} if cs_id else {}))
    if as_json:
        echo_json(found)
        return
    print_record(found, tuple((key, key) for key in FIELDS))
    readings = found.get("meterValues", [])
    title = f"meter values ({len(readings)})"
    if len(readings) > SHOWN_METER_VALUES:
        title = f"meter values (the last {SHOWN_METER_VALUES} of {len(readings)}; --json for all)"
    if readings:
        print_table(readings[-SHOWN_METER_VALUES:], METER, title=title)


@transaction.command("export")
@click.option("--station", "cs_id", help="Only this station's.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="The CSV file (default stdout).")
@api_option
def export(cs_id: str | None, output: Path | None, api_url: str, api_token: str | None) -> None:
    """Every transaction as CSV, newest first, one row each."""
    rows = list(client(api_url, api_token).pages("/transactions", **({"csId": cs_id} if cs_id else {})))
    try:
        target = output.open("w", newline="") if output else contextlib.nullcontext(sys.stdout)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    with target as stream:
        writer = csv.DictWriter(stream, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    if output:
        click.echo(f"{len(rows)} transactions written to {output}", err=True)


COMMANDS = [transaction]
