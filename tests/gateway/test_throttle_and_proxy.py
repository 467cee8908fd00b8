"""Repeated failures throttle an address or a station id (429 + Retry-After); proxy headers only from trusted proxies."""
from __future__ import annotations

import sqlite3
import time
from typing import Iterator

import pytest

from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.gateway.certs import issue
from tests.gateway.conftest import add_station, handshake_status, start_server

WINDOW = 4  # seconds: short, so the cool-down can be watched ending


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {
        "CSMS_AUTH_FAILURE_LIMIT": "5",
        "CSMS_AUTH_FAILURE_WINDOW": str(WINDOW),
        "CSMS_TRUSTED_PROXIES": "127.0.0.1",
        "CSMS_ORG_NAME": "ACME",
    }
    server = start_server(tmp_path_factory.mktemp("proxied"), env)
    yield server
    server.stop()


def via(address: str, **headers: str) -> dict[str, str]:
    """Headers a TLS-terminating proxy adds for a client at `address`."""
    return {"X-Forwarded-For": address} | {name.replace("_", "-"): value for name, value in headers.items()}


def test_failures_from_one_address_throttle_it_and_only_it(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for _ in range(5):
        assert handshake_status(url, basic_auth(cs_id, "wrong") | via("10.1.0.1")).status_code == 401
    refused = handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.1.0.1"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= WINDOW
    # the station id is throttled too (5 failures for it), so a fresh address with another station id passes
    other = add_station(proxied_server, cs_id + "-b")
    assert handshake_status(f"{proxied_server.ws_url}/{other}", basic_auth(other, STATION_PASSWORD) | via("10.1.0.2")) is None


def test_failures_for_one_station_id_from_many_addresses_throttle_the_id(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for n in range(5):
        handshake_status(url, basic_auth(cs_id, "wrong") | via(f"10.2.0.{n}"))
    assert handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.2.1.1")).status_code == 429


def test_attempts_while_throttled_do_not_extend_the_cool_down(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for _ in range(5):
        handshake_status(url, basic_auth(cs_id, "wrong") | via("10.3.0.1"))
    last_failure = time.monotonic()
    statuses = []
    while time.monotonic() - last_failure < WINDOW + 3:
        response = handshake_status(url, basic_auth(cs_id, "wrong") | via("10.3.0.1"))
        statuses.append(response.status_code)
        if response.status_code != 429:
            break
        time.sleep(0.5)
    assert statuses[0] == 429 and statuses[-1] == 401  # checked again once the cool-down ended


def test_forwarded_https_from_a_trusted_proxy_counts_as_tls(proxied_server, cs_id):
    add_station(proxied_server, cs_id, security_profile=1)
    url = f"{proxied_server.ws_url}/{cs_id}"
    assert handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.4.0.1", X_Forwarded_Proto="https")) is None


def test_proxy_headers_from_an_untrusted_address_are_ignored(gateway_server, cs_id):
    add_station(gateway_server, cs_id, security_profile=1)
    headers = basic_auth(cs_id, STATION_PASSWORD) | via("10.5.0.1", X_Forwarded_Proto="https")
    assert handshake_status(f"{gateway_server.ws_url}/{cs_id}", headers).status_code == 401


def store_certificate(server: LiveServer, issued) -> str:
    with sqlite3.connect(server.db_path, timeout=30) as db:
        db.execute(
            "INSERT INTO certificates (hash, pem, subject, created_at) VALUES (?, ?, ?, '')",
            [issued.table_hash(), issued.pem().decode(), issued.certificate.subject.rfc4514_string()],
        )
    return issued.table_hash()


@pytest.mark.parametrize(
    "cn_suffix, verified, expected", [("", "true", None), ("-other", "true", 401), ("", "false", 401)],
    ids=["valid", "wrong-cn", "not-verified"],
)
def test_client_certificate_forwarded_by_a_trusted_proxy(proxied_server, cs_id, cn_suffix, verified, expected):
    add_station(proxied_server, cs_id, security_profile=2, password=None)
    issued = issue(cs_id + cn_suffix, "ACME", issue("CA", "ACME", is_ca=True))
    cert_hash = store_certificate(proxied_server, issued)
    headers = via(
        "10.6.0.1", X_Forwarded_Proto="https", X_Client_Cert_Present="true",
        X_Client_Cert_Chain_Verified=verified, X_Client_Cert_Hash=cert_hash.replace("-", "+").replace("_", "/") + "=",
    )
    response = handshake_status(f"{proxied_server.ws_url}/{cs_id}", headers)
    assert (response.status_code if response else None) == expected
