"""Others' failed handshakes never lock out a station's right credentials from an address that has not failed."""
from __future__ import annotations

from tests.conftest import STATION_PASSWORD, basic_auth
from tests.gateway.certs import issue
from tests.gateway.conftest import (
    THROTTLE_WINDOW, add_station, handshake_status, store_certificate, via, via_certificate,
)


def fail_five_times(url: str, cs_id: str, addresses: list[str]) -> None:
    for n in range(5):
        handshake_status(url, basic_auth(cs_id, "wrong") | via(addresses[n % len(addresses)]))


def assert_throttled(response) -> None:
    assert response is not None and response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= THROTTLE_WINDOW


def test_wrong_passwords_from_one_address_do_not_lock_the_station_out_elsewhere(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    fail_five_times(url, cs_id, ["10.7.0.1"])
    assert handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.7.0.2")) is None
    assert_throttled(handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.7.0.1")))


def test_wrong_passwords_from_many_addresses_do_not_lock_the_station_out(proxied_server, cs_id):
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    fail_five_times(url, cs_id, [f"10.8.0.{n}" for n in range(5)])
    assert handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.8.1.1")) is None
    assert_throttled(handshake_status(url, basic_auth(cs_id, "wrong") | via("10.8.1.2")))


def test_guesses_refused_for_a_throttled_id_count_against_their_address(proxied_server, cs_id):
    """Else, once an id is throttled, one address could guess on unthrottled and learn the password from a 101."""
    add_station(proxied_server, cs_id)
    url = f"{proxied_server.ws_url}/{cs_id}"
    fail_five_times(url, cs_id, [f"10.9.0.{n}" for n in range(5)])
    for _ in range(5):
        assert_throttled(handshake_status(url, basic_auth(cs_id, "wrong") | via("10.9.1.1")))
    assert_throttled(handshake_status(url, basic_auth(cs_id, STATION_PASSWORD) | via("10.9.1.1")))


def test_failures_from_one_address_do_not_lock_out_the_right_certificate_elsewhere(proxied_server, cs_id):
    add_station(proxied_server, cs_id, security_profile=2, password=None)
    url = f"{proxied_server.ws_url}/{cs_id}"
    for _ in range(5):
        assert handshake_status(url, via("10.10.0.1", X_Forwarded_Proto="https")).status_code == 401  # no certificate
    cert_hash = store_certificate(proxied_server, issue(cs_id, "ACME", issue("CA", "ACME", is_ca=True)))
    assert handshake_status(url, via_certificate("10.10.0.2", cert_hash)) is None
    assert_throttled(handshake_status(url, via_certificate("10.10.0.1", cert_hash)))
