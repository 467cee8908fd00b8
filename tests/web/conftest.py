"""Fixtures of the dashboard tests: the Flask test client with a CSRF token, stations with hostile text."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from app import create_app
from config import Config
from storage import Store, connectors, station_runtime, stations
from tests.api.conftest import add_transaction  # noqa: F401  (a fixture: transaction rows as the handlers store them)

HOSTILE_ID = "cs<script>alert('id')</script>"
HOSTILE_VENDOR = "<script>alert('vendor')</script>"


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def web(client) -> Callable[..., Any]:
    """`web(path, **form)`: GET a page, or POST a form with the session's CSRF token."""
    token = csrf_of(client.get("/").text)

    def request(path: str, **form: Any) -> Any:
        if not form:
            return client.get(path)
        return client.post(path, data={"csrf_token": token, **form})

    return request


@pytest.fixture
def booted(store: Store) -> Callable[..., str]:
    """`booted(cs_id, version, vendor)`: a registered station that connected and booted, its connector 1 Available."""

    def make(cs_id: str, version: str = "1.6", vendor: str = "ACME") -> str:
        stations.save_station_auth(store, cs_id, {"security_profile": 0, "password_hash": None})
        station_runtime.mark_connected(store, cs_id, version, "127.0.0.1")
        station_runtime.save_boot(store, cs_id, {"vendor": vendor, "model": "M1"}, "Accepted")
        connectors.save_status(store, cs_id, 1, 1, "Available")
        return cs_id

    return make


@pytest.fixture
def token_app(db_path: Path, store: Store):
    """The app with CSMS_API_TOKEN set."""
    return create_app(Config(db_path=db_path, api_token="s3cret-token"), store)
