"""Gateway fixtures: a live server with short ping/throttle settings, stations written straight into its database."""
from __future__ import annotations

import itertools
import sqlite3
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth, password_hash


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


# A high failure limit: many tests fail handshakes from 127.0.0.1 on purpose; test_throttle sets its own.
GATEWAY_ENV = {"CSMS_PING_INTERVAL": "1", "CSMS_AUTH_FAILURE_LIMIT": "1000", "CSMS_CALL_TIMEOUT": "5"}


def start_server(tmp_path: Path, env: dict[str, str] | None = None, script: Path | None = None) -> LiveServer:
    server = LiveServer.start(tmp_path, GATEWAY_ENV | (env or {}), script=script)
    server.db_path = str(tmp_path / "live.sqlite3")
    return server


@pytest.fixture(scope="module")
def gateway_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module; tests use their own station ids."""
    server = start_server(tmp_path_factory.mktemp("gateway"))
    yield server
    server.stop()


THROTTLE_WINDOW = 4  # seconds: short, so a cool-down can be watched ending


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server that throttles after 5 failures and believes proxy headers from 127.0.0.1 (so tests pick addresses)."""
    env = {
        "CSMS_AUTH_FAILURE_LIMIT": "5",
        "CSMS_AUTH_FAILURE_WINDOW": str(THROTTLE_WINDOW),
        "CSMS_TRUSTED_PROXIES": "127.0.0.1",
        "CSMS_ORG_NAME": "ACME",
    }
    server = start_server(tmp_path_factory.mktemp("proxied"), env)
    yield server
    server.stop()


def via(address: str, **headers: str) -> dict[str, str]:
    """Headers a TLS-terminating proxy adds for a client at `address`."""
    return {"X-Forwarded-For": address} | {name.replace("_", "-"): value for name, value in headers.items()}


def via_certificate(address: str, cert_hash: str, verified: str = "true") -> dict[str, str]:
    """Headers a TLS-terminating proxy adds for a client at `address` that presented the certificate `cert_hash`."""
    return via(
        address, X_Forwarded_Proto="https", X_Client_Cert_Present="true", X_Client_Cert_Chain_Verified=verified,
        X_Client_Cert_Hash=cert_hash.replace("-", "+").replace("_", "/") + "=",  # the other base64 alphabet, padded
    )


def store_certificate(server: LiveServer, issued) -> str:
    """Put an issued certificate into the certificates table; returns its table hash."""
    with connect(server) as db:
        db.execute(
            "INSERT INTO certificates (hash, pem, subject, created_at) VALUES (?, ?, ?, '')",
            [issued.table_hash(), issued.pem().decode(), issued.certificate.subject.rfc4514_string()],
        )
    return issued.table_hash()


_ids = itertools.count(1)


@pytest.fixture
def cs_id(request: pytest.FixtureRequest) -> str:
    """A fresh station id for this test."""
    return f"{request.node.name[:30]}-{next(_ids)}".replace("[", "-").replace("]", "")


def ws_connect(server: LiveServer, cs_id: str, subprotocols: list[str] | None = None, password: str | None = STATION_PASSWORD, **kwargs):
    """A raw synchronous `websockets` client (no OCPP logic), for frame-level tests."""
    from websockets.sync.client import connect as ws_sync_connect

    headers = basic_auth(cs_id, password) if password is not None else {}
    return ws_sync_connect(
        f"{server.ws_url}/{quote(cs_id, safe='')}",
        subprotocols=subprotocols if subprotocols is not None else ["ocpp1.6"],
        additional_headers=headers | kwargs.pop("additional_headers", {}),
        open_timeout=10,
        **kwargs,
    )


def handshake_status(url: str, headers: dict[str, str] | None = None, subprotocols: list[str] | None = None, **kwargs):
    """The HTTP response of a refused handshake (status, headers), or None when the upgrade succeeded."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect as ws_sync_connect

    try:
        with ws_sync_connect(url, subprotocols=subprotocols or ["ocpp1.6"], additional_headers=headers or {}, open_timeout=10, **kwargs):
            return None
    except InvalidStatus as error:
        return error.response
