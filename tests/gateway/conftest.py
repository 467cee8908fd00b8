"""Gateway fixtures: a live server with short ping/throttle settings, stations written straight into its database."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import STATION_PASSWORD, LiveServer, password_hash


def add_station(
    server: LiveServer,
    cs_id: str,
    security_profile: int = 0,
    password: str | None = STATION_PASSWORD,
    invalid_username_allowed: bool = False,
) -> str:
    """Register a station the way POST /cs/{csId} stores it (written directly: the test owns the file too)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    row = {
        "id": cs_id,
        "security_profile": security_profile,
        "password_hash": password_hash(password) if password is not None else None,
        "invalid_username_allowed": int(invalid_username_allowed),
        "created_at": now,
        "updated_at": now,
    }
    with connect(server) as db:
        db.execute(
            "INSERT OR REPLACE INTO stations (id, security_profile, password_hash, invalid_username_allowed,"
            " created_at, updated_at) VALUES (:id, :security_profile, :password_hash, :invalid_username_allowed,"
            " :created_at, :updated_at)",
            row,
        )
    return cs_id


def connect(server: LiveServer) -> sqlite3.Connection:
    db = sqlite3.connect(server.db_path, timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    return db


def station_row(server: LiveServer, cs_id: str) -> dict | None:
    with connect(server) as db:
        row = db.execute("SELECT * FROM stations WHERE id = ?", [cs_id]).fetchone()
    return dict(row) if row else None


def security_events(server: LiveServer, cs_id: str) -> list[dict]:
    with connect(server) as db:
        return [dict(row) for row in db.execute("SELECT * FROM security_events WHERE cs_id = ?", [cs_id])]


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until `predicate()` is truthy; returns its value or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


GATEWAY_ENV = {"CSMS_PING_INTERVAL": "1", "CSMS_AUTH_FAILURE_LIMIT": "5"}


def start_server(tmp_path: Path, env: dict[str, str] | None = None) -> LiveServer:
    server = LiveServer.start(tmp_path, GATEWAY_ENV | (env or {}))
    server.db_path = str(tmp_path / "live.sqlite3")
    return server


@pytest.fixture
def gateway_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(tmp_path)
    yield server
    server.stop()
