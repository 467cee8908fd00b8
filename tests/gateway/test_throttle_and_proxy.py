"""Throttling (429 + Retry-After) after failed handshakes; proxy headers only from trusted proxies."""
from __future__ import annotations

import time

import pytest

from tests.conftest import STATION_PASSWORD, basic_auth
from tests.gateway.certs import issue
from tests.gateway.conftest import (
    THROTTLE_WINDOW, add_station, handshake_status, store_certificate, via, via_certificate,
)


def test_failures_from_one_address_throttle_it_and_only_it(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for _ in range(5):
        assert handshake_status(url, basic_auth(cs_id, "wrong") | via("10.1.0.1")).status_code == 401
    refused = handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.1.0.1"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= THROTTLE_WINDOW
    # another station from another address is untouched by them
    other = add_station(proxied_server, cs_id + "-b")
    assert handshake_status(f"{proxied_server.ws_url}/{other}", basic_auth(other, STATION_PASSWORD) | via("10.1.0.2")) is None


def test_wrong_passwords_for_one_station_id_from_many_addresses_throttle_the_id(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for n in range(5):
        handshake_status(url, basic_auth(cs_id, "wrong") | via(f"10.2.0.{n}"))
    refused = handshake_status(url, basic_auth(cs_id, "wrong") | via("10.2.1.1"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= THROTTLE_WINDOW


@pytest.mark.parametrize("later_address", ["10.3.0.1", None], ids=["same-address", "fresh-addresses"])
def test_attempts_while_throttled_do_not_extend_the_cool_down(proxied_server, cs_id, later_address):
    """Retrying from the failing address (refused unchecked) or guessing from new ones (refused for the id)."""
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    first_address = later_address or "10.3.1.1"
    for _ in range(5):
        handshake_status(url, basic_auth(cs_id, "wrong") | via(first_address))
    last_failure = time.monotonic()
    statuses = []
    while time.monotonic() - last_failure < THROTTLE_WINDOW + 3:
        address = later_address or f"10.3.2.{len(statuses)}"
        response = handshake_status(url, basic_auth(cs_id, "wrong") | via(address))
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


@pytest.mark.parametrize(
    "cn_suffix, verified, expected", [("", "true", None), ("-other", "true", 401), ("", "false", 401)],
    ids=["valid", "wrong-cn", "not-verified"],
)
def test_client_certificate_forwarded_by_a_trusted_proxy(proxied_server, cs_id, cn_suffix, verified, expected):
    add_station(proxied_server, cs_id, security_profile=2, password=None)
    issued = issue(cs_id + cn_suffix, "ACME", issue("CA", "ACME", is_ca=True))
    headers = via_certificate("10.6.0.1", store_certificate(proxied_server, issued), verified)
    response = handshake_status(f"{proxied_server.ws_url}/{cs_id}", headers)
    assert (response.status_code if response else None) == expected
