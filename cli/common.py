"""What the CLI's commands share: the --api/--json options, errors as one line and exit 1, rich tables."""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Sequence

import click
from click_default_group import DefaultGroup
from rich import box
from rich.console import Console
from rich.table import Table

from api_client import DEFAULT_API, ApiClient, ApiError

Columns = Sequence[tuple[str, str]]  # (key in the API's JSON, heading)


class Cli(DefaultGroup):
    """The command group: a refused request or an unreachable server ends the command with one line and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ApiError as error:
            raise click.ClickException(str(error)) from None


def api_option(command: Callable) -> Callable:
    """--api URL and --token (CSMS_API_TOKEN) on a command that talks to a running server."""
    command = click.option(
        "--token", "api_token", envvar="CSMS_API_TOKEN", default=None, metavar="TOKEN",
        help="Bearer token of the API [env CSMS_API_TOKEN].",
    )(command)
    return click.option(
        "--api", "api_url", envvar="CSMS_API_URL", default=DEFAULT_API, show_default=True, metavar="URL",
        help="The API base URL, with /api/v0 [env CSMS_API_URL].",
    )(command)


def json_option(command: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")(command)


def client(api_url: str, api_token: str | None) -> ApiClient:
    return ApiClient(api_url, api_token)


def console() -> Console:
    """Tables to stdout, at a width that does not fold columns when stdout is a file or a pipe."""
    terminal = Console()
    return terminal if terminal.is_terminal else Console(width=200)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def print_table(rows: Iterable[dict[str, Any]], columns: Columns, title: str | None = None) -> None:
    """Rows as a table with these columns."""
    table = Table(*(heading for _, heading in columns), title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    console().print(table)


def print_record(record: dict[str, Any], columns: Columns) -> None:
    """One object as a two-column table (field, value)."""
    table = Table("field", "value", box=box.SIMPLE_HEAD, show_header=False)
    for key, heading in columns:
        table.add_row(heading, _cell(record.get(key)))
    console().print(table)


def show_list(rows: list[dict[str, Any]], as_json: bool, columns: Columns, empty: str) -> None:
    """A read's answer: JSON, a table, or a line saying there is nothing."""
    if as_json:
        echo_json(rows)
    elif rows:
        print_table(rows, columns)
    else:
        click.echo(empty)


def page_options(command: Callable) -> Callable:
    """--offset and --limit of a list (the API pages by at most 100)."""
    command = click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)(command)
    return click.option("--offset", type=click.IntRange(0), default=0, show_default=True)(command)


def parse_json(text: str, what: str) -> Any:
    """JSON given on the command line; a usage error (exit 2) when it is not."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint=what) from None
