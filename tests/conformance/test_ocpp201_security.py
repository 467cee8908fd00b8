"""OCTT 2.0.1 TLS cases: A_04, A_06 (Core, security profile 2 = TLS + Basic auth) and A_07, A_08 (Advanced
Security, profile 3 = client certificates), with a real 2.0.1 station over wss and certificates made in the test."""
from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Iterator

import pytest
import websockets

from ocpp201_support import Station, new_station
from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth, station_client
from tests.gateway.certs import client_context, issue, make_pki

ORG = "ACME"


# These cases refuse many handshakes from 127.0.0.1 on purpose; the throttle has its own tests (tests/gateway).
UNTHROTTLED = {"CSMS_AUTH_FAILURE_LIMIT": "1000"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return make_pki(tmp_path_factory.mktemp("pki201"), ORG)


@pytest.fixture(scope="module")
def tls_server(pki: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer.start(Path(tmp_path_factory.mktemp("tls201")), pki["env"] | UNTHROTTLED)
    yield server
    server.stop()


def wss_url(server: LiveServer) -> str:
    return server.urls["wss"].replace("127.0.0.1", "localhost")


def boot_over_tls(server: LiveServer, cs_id: str, context: ssl.SSLContext, password: str | None) -> tuple[str, str]:
    """Boot as `cs_id` over wss; the answer's status and the negotiated TLS version."""

    async def session() -> tuple[str, str]:
        async with station_client(wss_url(server), cs_id, "ocpp2.0.1", password=password, ssl=context) as charge_point:
            answer = await Station(charge_point).boot()
            return answer["status"], charge_point._connection.transport.get_extra_info("ssl_object").version()

    return asyncio.run(session())


def test_TC_A_04_tls_server_certificate_valid(tls_server, pki):
    cs_id = new_station(tls_server, security_profile=1)
    status, version = boot_over_tls(tls_server, cs_id, client_context(pki), STATION_PASSWORD)
    assert status == "Accepted" and version in ("TLSv1.2", "TLSv1.3")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_TC_A_06_tls_below_1_2_is_terminated(tls_server, pki):
    cs_id = new_station(tls_server, security_profile=1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    context.set_ciphers("DEFAULT:@SECLEVEL=0")  # so the refusal comes from the CSMS, not from our own OpenSSL policy
    try:
        context.minimum_version, context.maximum_version = ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1
    except ValueError:
        pytest.skip("this OpenSSL cannot offer TLS 1.1")

    async def connect() -> None:
        headers = basic_auth(cs_id, STATION_PASSWORD)
        async with websockets.connect(f"{wss_url(tls_server)}/{cs_id}", subprotocols=["ocpp2.0.1"], ssl=context,
                                      additional_headers=headers, open_timeout=10):
            pass

    with pytest.raises((ssl.SSLError, OSError)):
        asyncio.run(connect())


def test_TC_A_07_client_certificate_valid(tls_server, pki):
    cs_id = new_station(tls_server, security_profile=2, password=None)
    client = issue(cs_id, ORG, pki["station_ca"])
    assert boot_over_tls(tls_server, cs_id, client_context(pki, client), None)[0] == "Accepted"


@pytest.mark.parametrize("kind", ["unknown-ca", "expired", "cn-not-station-id"])
def test_TC_A_08_invalid_client_certificate_is_terminated(tls_server, pki, kind):
    cs_id = new_station(tls_server, security_profile=2, password=None)
    issuer = pki["rogue_ca"] if kind == "unknown-ca" else pki["station_ca"]
    client = issue("someone-else" if kind == "cn-not-station-id" else cs_id, ORG, issuer, expired=kind == "expired")
    with pytest.raises((websockets.InvalidHandshake, ssl.SSLError, OSError, websockets.ConnectionClosed)) as refused:
        boot_over_tls(tls_server, cs_id, client_context(pki, client), None)
    if isinstance(refused.value, websockets.InvalidStatus):
        assert refused.value.response.status_code == 401
