"""A station with no certificate gets one from the CSMS and connects with it on profile 3, offline; a CSR that asks
for another identity is refused; revocation closes the door at the next handshake. Real 1.6 and 2.0.1 stations."""
from __future__ import annotations

import asyncio
import json
import ssl

import pytest
import requests
import websockets
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from sim.tls import client_context
from tests.conftest import LiveServer
from tests.gateway.certs import csr
from tests.stations import recording_station, wait_for_command

ORG = "ACME"
OCA = "org.openchargealliance.iso15118pnc"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> LiveServer:
    live = LiveServer.start(tmp_path_factory.mktemp("pki"), {"CSMS_ORG_NAME": ORG, "CSMS_AUTH_FAILURE_LIMIT": "1000"})
    yield live
    live.stop()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def new_key(kind: str):
    return rsa.generate_private_key(65537, 2048) if kind == "rsa" else ec.generate_private_key(ec.SECP256R1())


def csr_pem(key, cs_id: str, organisation: str | None = ORG) -> str:
    return csr(cs_id, organisation, key)


def tls_context(server: LiveServer, chain: str | None = None, key=None) -> ssl.SSLContext:
    """Trust the CSMS's root (from its API); present `chain` with `key` as the client certificate."""
    return client_context(requests.get(f"{server.api_url}/pki/ca", timeout=10).text, chain, key)


def wss(server: LiveServer) -> str:
    return server.urls["wss"].replace("127.0.0.1", "localhost")


async def sign_request(station, version: str, csr: str) -> str:
    if version == "1.6":
        return (await station.call(call16.SignCertificate(csr=csr))).status
    request = call201.SignCertificate(csr=csr, certificate_type="ChargingStationCertificate")
    return (await station.call(request)).status


async def get_certificate(server: LiveServer, cs_id: str, version: str, key) -> str:
    """Over profile 1 (TLS + password): send a CSR, receive CertificateSigned; returns the chain."""
    async with recording_station(server, cs_id, version, ssl=tls_context(server), url=wss(server)) as station:
        assert await sign_request(station, version, csr_pem(key, cs_id)) == "Accepted"
        action, payload = await station.next_call()
        assert action == "CertificateSigned"
        await asyncio.to_thread(wait_for_command, server, cs_id, lambda c: c["status"] == "completed")
        return payload["certificateChain"]


async def boot_with_certificate(server: LiveServer, cs_id: str, version: str, chain: str, key) -> str:
    context = tls_context(server, chain, key)
    async with recording_station(server, cs_id, version, ssl=context, url=wss(server), password=None) as station:
        return "connected" if station else "?"


def refused_status(server: LiveServer, cs_id: str, chain: str, key) -> int:
    async def attempt() -> None:
        async with websockets.connect(f"{wss(server)}/{cs_id}", subprotocols=["ocpp2.0.1"],
                                      ssl=tls_context(server, chain, key), open_timeout=10):
            pass

    with pytest.raises(websockets.InvalidStatus) as refused:
        run(attempt())
    return refused.value.response.status_code


@pytest.mark.parametrize("version, key_kind", [("1.6", "ec"), ("2.0.1", "rsa"), ("2.0.1", "ec")])
def test_round_trip_profile_1_to_a_certificate_to_profile_3(server, version, key_kind):
    cs_id = f"pki-{version}-{key_kind}"
    server.register(cs_id, security_profile=1)
    key = new_key(key_kind)
    chain = run(get_certificate(server, cs_id, version, key))
    leaf, issuer = x509.load_pem_x509_certificates(chain.encode())
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == cs_id
    assert leaf.public_key().public_numbers() == key.public_key().public_numbers()
    leaf.verify_directly_issued_by(issuer)
    command = wait_for_command(server, cs_id, lambda c: c["operation"] == "certificateSigned")
    assert (command["action"], command["status"], command["response"]) == ("CertificateSigned", "completed", {"status": "Accepted"})
    issued = server.api("GET", f"/cs/{cs_id}/certificates/issued").json()
    assert [(item["serial"], item["certificateType"], item["revoked"]) for item in issued] == [
        (format(leaf.serial_number, "X"), "ChargingStationCertificate", False)
    ]
    server.register(cs_id, security_profile=2, password=None)  # the upgrade to profile 3
    assert run(boot_with_certificate(server, cs_id, version, chain, key)) == "connected"


def test_a_certificate_of_station_a_cannot_act_as_station_b(server):
    server.register("pki-a", security_profile=1)
    key = new_key("ec")
    chain = run(get_certificate(server, "pki-a", "2.0.1", key))
    server.register("pki-b", security_profile=2, password=None)
    assert refused_status(server, "pki-b", chain, key) == 401


def test_a_revoked_certificate_is_refused_at_the_next_handshake(server):
    server.register("pki-r", security_profile=1)
    key = new_key("ec")
    chain = run(get_certificate(server, "pki-r", "2.0.1", key))
    server.register("pki-r", security_profile=2, password=None)
    assert run(boot_with_certificate(server, "pki-r", "2.0.1", chain, key)) == "connected"
    serial = server.api("GET", "/cs/pki-r/certificates/issued").json()[0]["serial"]
    assert server.api("DELETE", f"/cs/pki-r/certificates/issued/{serial}").status_code == 204
    assert server.api("GET", "/cs/pki-r/certificates/issued").json()[0]["revoked"] is True
    assert refused_status(server, "pki-r", chain, key) == 401
    assert server.api("DELETE", "/cs/pki-r/certificates/issued/ABCDEF").status_code == 404


@pytest.mark.parametrize(
    "csr, reason",
    [
        (lambda: csr_pem(new_key("ec"), "someone-else"), "is not the station id"),
        (lambda: csr_pem(new_key("ec"), "pki-x", "Other"), "is not 'ACME'"),
        (lambda: csr_pem(rsa.generate_private_key(65537, 1024), "pki-x"), "weaker than 2048"),
        (lambda: "garbage", "not a PEM certificate signing request"),
    ],
    ids=["wrong-cn", "wrong-o", "weak-key", "garbage"],
)
def test_a_refused_csr_is_rejected_with_a_security_event(server, csr, reason):
    server.register("pki-x", security_profile=1)

    async def ask() -> str:
        async with recording_station(server, "pki-x", "2.0.1", ssl=tls_context(server), url=wss(server)) as station:
            return await sign_request(station, "2.0.1", csr())

    assert run(ask()) == "Rejected"
    events = server.api("GET", "/cs/pki-x/events").json()
    assert any(event["type"] == "CsrRejected" and reason in event["techInfo"] for event in events), events
    assert server.api("GET", "/cs/pki-x/certificates/issued").json() == []


def test_a_16_station_gets_a_v2g_certificate_over_the_oca_data_transfer(server):
    server.register("pki-oca", security_profile=1)
    key = new_key("ec")
    inner = json.dumps({"csr": csr_pem(key, "pki-oca"), "certificateType": "V2GCertificate"})

    async def scenario():
        async with recording_station(server, "pki-oca", "1.6", ssl=tls_context(server), url=wss(server)) as station:
            request = call16.DataTransfer(vendor_id=OCA, message_id="SignCertificate", data=inner)
            answer = await station.call(request)
            delivered = await station.next_call()
            await asyncio.to_thread(wait_for_command, server, "pki-oca", lambda c: c["status"] == "completed")
            return answer, delivered

    answer, (action, payload) = run(scenario())
    assert (answer.status, json.loads(answer.data)) == ("Accepted", {"status": "Accepted"})
    assert (action, payload["vendorId"], payload["messageId"]) == ("DataTransfer", OCA, "CertificateSigned")
    signed = json.loads(payload["data"])
    leaf, issuer = x509.load_pem_x509_certificates(signed["certificateChain"].encode())
    assert signed["certificateType"] == "V2GCertificate" and "V2G CA" in issuer.subject.rfc4514_string()
    issued = server.api("GET", "/cs/pki-oca/certificates/issued").json()
    assert [item["certificateType"] for item in issued] == ["V2GCertificate"]


def test_deleting_a_station_revokes_its_certificates(server):
    server.register("pki-d", security_profile=1)
    key = new_key("ec")
    chain = run(get_certificate(server, "pki-d", "2.0.1", key))
    assert server.api("DELETE", "/cs/pki-d").status_code == 204
    server.register("pki-d", security_profile=2, password=None)  # someone registers the id again
    assert refused_status(server, "pki-d", chain, key) == 401
    assert server.api("GET", "/cs/pki-d/certificates/issued").json()[0]["revoked"] is True
