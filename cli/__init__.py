"""The command line: `serve` (the default), commands that talk to a running server's API, `backup`/`db` on the
database file, and the station simulator. Exit codes: 0 ok, 1 refused or failed, 2 usage."""
from __future__ import annotations

import click

import logs
from cli import auth, certificates, commands, database, emaid, pki, simulate, stations, tokens, transactions
from cli.common import Cli
from config import Config


@click.group(cls=Cli, default="serve", default_if_no_args=True)
@click.version_option("0", prog_name="csms", message="%(prog)s %(version)s")
def main() -> None:
    """A small OCPP 1.6J / 2.0.1 CSMS on one SQLite file, its management CLI and a station simulator."""


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


for module in (stations, tokens, certificates, auth, emaid, transactions, commands, pki, database, simulate):
    for command in module.COMMANDS:
        main.add_command(command)
# The names of the first CLI, kept: `encode-password` is `auth encode-password`, `ca-certificate` reads the local
# CA's files directly.
main.add_command(auth.encode_password)
main.add_command(pki.ca_certificate)
