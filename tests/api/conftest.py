"""Fixtures of the management API tests: API helper, registered stations, certificates, transactions."""
from __future__ import annotations

import datetime
from typing import Any, Callable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from storage import Store, station_runtime

API = "/api/v0"


def make_pem(common_name: str = "cs001", organisation: str = "Test") -> str:
    """A fresh self-signed certificate as PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="session")
def pem() -> str:
    return make_pem()


@pytest.fixture
def api(client) -> Callable[..., Any]:
    """`api(method, path, json=...)` against /api/v0 through the Flask test client."""

    def call(method: str, path: str, **kwargs: Any) -> Any:
        return client.open(f"{API}{path}", method=method.upper(), **kwargs)

    return call


@pytest.fixture
def station(api) -> str:
    """A registered, never-booted station."""
    assert api("post", "/cs/cs001", json={"securityProfile": 0}).status_code == 201
    return "cs001"


@pytest.fixture
def station_of(api, store: Store) -> Callable[[str, str | None], str]:
    """`station_of(cs_id, version)`: a registered station that connected with that OCPP version (or never)."""

    def make(cs_id: str, ocpp_version: str | None) -> str:
        assert api("post", f"/cs/{cs_id}", json={"securityProfile": 0}).status_code == 201
        if ocpp_version is not None:
            station_runtime.mark_connected(store, cs_id, ocpp_version, "127.0.0.1")
        return cs_id

    return make


@pytest.fixture
def add_transaction(store: Store) -> Callable[..., None]:
    """Insert a transaction row (what the OCPP handlers would have stored)."""

    def add(cs_id: str, transaction_id: str, status: str = "active", evse_id: int = 1, **extra: Any) -> None:
        row = {
            "cs_id": cs_id,
            "transaction_id": transaction_id,
            "evse_id": evse_id,
            "connector_id": 1,
            "id_token": "TAG1",
            "started_at": extra.pop("started_at", "2026-01-01T00:00:00.000Z"),
            "meter_start": 0,
            "status": status,
            **extra,
        }
        store.write(lambda db: db["transactions"].insert(row))

    return add


def commands_of(store: Store, cs_id: str) -> list[dict[str, Any]]:
    """The station's command rows, oldest first."""
    return store.read(lambda db: list(db["commands"].rows_where("cs_id = ?", [cs_id], order_by="id")))
