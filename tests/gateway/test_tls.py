"""wss: TLS ≥1.2 with Basic auth (profile 1) and client certificates (profile 2), certificates made in the test."""
from __future__ import annotations

import ssl
from typing import Iterator

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.gateway.certs import Issued, client_context, issue, make_pki
from tests.gateway.conftest import add_station, security_events, start_server, wait_for

ORG = "ACME"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return make_pki(tmp_path_factory.mktemp("pki"), ORG)


@pytest.fixture(scope="module")
def tls_server(pki: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("tls"), pki["env"])
    yield server
    server.stop()


def attempt(url: str, pki: dict, client: Issued | None = None, headers: dict | None = None) -> object:
    """'upgraded', the refusal's HTTP status, or 'tls-failed'."""
    context = client_context(pki, client, check_hostname=False)
    try:
        with connect(url, ssl=context, subprotocols=["ocpp1.6"], additional_headers=headers or {}, open_timeout=10) as ws:
            ws.send('[2,"1","Heartbeat",{}]')
            ws.recv(timeout=10)
            return "upgraded"
    except InvalidStatus as error:
        return error.response.status_code
    except (OSError, EOFError, Exception) as error:  # the TLS alert surfaces as one of several errors
        return f"tls-failed: {type(error).__name__}"


def test_banner_lists_wss(tls_server):
    assert tls_server.urls["wss"].startswith("wss://")


def test_profile_1_with_basic_auth_over_tls(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=1)
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, headers=basic_auth(cs_id, STATION_PASSWORD)) == "upgraded"


def test_profile_1_without_credentials_is_401(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=1)
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki) == 401


def test_profile_0_over_tls_is_401(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=0)
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, headers=basic_auth(cs_id, STATION_PASSWORD)) == 401


def test_profile_2_with_a_valid_client_certificate(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=2, password=None)
    client = issue(cs_id, ORG, pki["station_ca"])
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, client) == "upgraded"


@pytest.mark.parametrize("cn, org", [("other-station", ORG), (None, "Other Org"), (None, None)], ids=["wrong-cn", "wrong-o", "no-o"])
def test_profile_2_wrong_subject_is_401_and_a_security_event(tls_server, pki, cs_id, cn, org):
    add_station(tls_server, cs_id, security_profile=2, password=None)
    client = issue(cn or cs_id, org, pki["station_ca"])
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, client) == 401
    assert wait_for(lambda: security_events(tls_server, cs_id))


def test_profile_2_without_a_certificate_is_401(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=2, password=None)
    assert attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, headers=basic_auth(cs_id, STATION_PASSWORD)) == 401


@pytest.mark.parametrize("kind", ["expired", "untrusted-ca"])
def test_bad_client_certificate_fails_the_tls_handshake(tls_server, pki, cs_id, kind):
    add_station(tls_server, cs_id, security_profile=2, password=None)
    if kind == "expired":
        client = issue(cs_id, ORG, pki["station_ca"], expired=True)
    else:
        client = issue(cs_id, ORG, pki["rogue_ca"])
    outcome = attempt(f"{tls_server.urls['wss']}/{cs_id}", pki, client)
    assert str(outcome).startswith("tls-failed"), outcome
    assert wait_for(lambda: "TLS handshake from 127.0.0.1 failed" in tls_server.log())


def test_profile_2_on_plain_ws_is_401(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=2, password=None)
    try:
        with connect(f"{tls_server.ws_url}/{cs_id}", subprotocols=["ocpp1.6"], open_timeout=10):
            status = "upgraded"
    except InvalidStatus as error:
        status = error.response.status_code
    assert status == 401


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_tls_below_1_2_is_refused(tls_server, pki, cs_id):
    add_station(tls_server, cs_id, security_profile=1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        context.maximum_version = ssl.TLSVersion.TLSv1_1
        context.minimum_version = ssl.TLSVersion.TLSv1
    except ValueError:
        pytest.skip("this OpenSSL cannot even offer TLS 1.1")
    with pytest.raises((ssl.SSLError, OSError)):
        with connect(f"{tls_server.urls['wss']}/{cs_id}", ssl=context, open_timeout=10,
                     additional_headers=basic_auth(cs_id, STATION_PASSWORD)):
            pass
