"""`backup` and `db migrate|check`: the commands that open the SQLite file (CSMS_DB) directly."""
from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import click
import sqlite_utils

from cli.common import echo_json
from config import Config
from storage.migrations import migrations


def _database_path() -> Path:
    try:
        return Config.from_env().db_path
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The existing database file, read-only (never created, never changed)."""
    if not path.is_file():
        raise click.ClickException(f"no database at {path} (set CSMS_DB)")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot open {path}: {error}") from None


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
def backup(target: Path) -> None:
    """Copy the database (CSMS_DB) to TARGET with SQLite's online backup: safe while the server runs. TARGET
    appears whole or not at all; the database is only read."""
    path = _database_path()
    source = _open_read_only(path)
    folder = target.resolve().parent
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    except OSError as error:
        source.close()
        raise click.ClickException(f"cannot write {target}: {error.strerror}") from None
    os.close(handle)
    try:
        destination = sqlite3.connect(partial)
        with destination:
            source.backup(destination)
        destination.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        Path(partial).unlink(missing_ok=True)
        raise click.ClickException(f"backup to {target} failed: {error}") from None
    finally:
        source.close()
    click.echo(f"backed up {path} to {target} ({target.stat().st_size} bytes)")


@click.group("db")
def db() -> None:
    """The database file (CSMS_DB): apply migrations, check integrity."""


@db.command("migrate")
def migrate() -> None:
    """Apply the schema steps the file lacks (the server does this at start too); creates the file if missing."""
    path = _database_path()
    try:
        database = sqlite_utils.Database(path)
        pending = [step.name for step in migrations.pending(database)]
        migrations.apply(database)
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot migrate {path}: {error}") from None
    click.echo(f"{path}: applied {', '.join(pending)}" if pending else f"{path}: up to date")


@db.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def check(as_json: bool) -> None:
    """Check the file's integrity, foreign keys and migrations (read-only); exit 1 when something is wrong."""
    path = _database_path()
    connection = _open_read_only(path)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        pending = [step.name for step in migrations.pending(sqlite_utils.Database(connection))]
    except sqlite3.Error as error:
        raise click.ClickException(f"{path}: {error}") from None
    finally:
        connection.close()
    report = {"database": str(path), "integrity": integrity, "foreignKeyViolations": len(foreign),
              "pendingMigrations": pending}
    is_ok = integrity == ["ok"] and not foreign and not pending
    if as_json:
        echo_json(report | {"ok": is_ok})
    else:
        click.echo(f"{path}: integrity {', '.join(integrity)}; {len(foreign)} foreign key violations; "
                   f"{len(pending)} pending migrations{': ' + ', '.join(pending) if pending else ''}")
    if not is_ok:
        raise SystemExit(1)


COMMANDS = [backup, db]
