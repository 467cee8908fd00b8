"""`emaid normalize|validate`: eMAIDs (contract ids) and their check digit, offline."""
from __future__ import annotations

import click

from schemas.emaid import EmaidError, normalise_emaid


@click.group("emaid")
def emaid() -> None:
    """eMAIDs: normalise, validate (offline)."""


@emaid.command("normalize")
@click.argument("emaids", nargs=-1, required=True)
def normalize(emaids: tuple[str, ...]) -> None:
    """Print each EMAID without separators, upper case, with its check digit (exit 1 if one is not an eMAID)."""
    for text in emaids:
        try:
            click.echo(normalise_emaid(text))
        except EmaidError as error:
            raise click.ClickException(str(error)) from None


@emaid.command("validate")
@click.argument("emaids", nargs=-1, required=True)
def validate(emaids: tuple[str, ...]) -> None:
    """Say for each EMAID whether it is one (and its check digit right when it has one); exit 1 if any is not."""
    failed = 0
    for text in emaids:
        try:
            click.echo(f"{text}: valid ({normalise_emaid(text)})")
        except EmaidError as error:
            failed += 1
            click.echo(f"{text}: invalid: {error}")
    if failed:
        raise SystemExit(1)


COMMANDS = [emaid]
