"""OCTT 1.6 Security Whitepaper cases (TC_073 … TC_088): Basic-auth password change, certificates, security
events, security log, signed firmware, security profile upgrade, Basic auth, TLS and subprotocol negotiation.

One CSMS per module with TLS on (server certificate for localhost, a station CA for client certificates); plain
ws stations use the same process. Certificates are made in the test (tests/gateway/certs.py)."""
from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import pytest
import websockets
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ocpp16_support import NOW, events, new_station, operate, queue_call, finished, run, seed, send
from tests.conftest import STATION_PASSWORD, LiveServer, basic_auth
from tests.gateway.certs import Issued, client_context, csr, issue, make_pki

ORG = "ACME"


# These cases refuse many handshakes from 127.0.0.1 on purpose; the throttle has its own tests (tests/gateway).
UNTHROTTLED = {"CSMS_AUTH_FAILURE_LIMIT": "1000"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return make_pki(tmp_path_factory.mktemp("pki16"), ORG)


@pytest.fixture(scope="module")
def server(pki: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer.start(Path(tmp_path_factory.mktemp("tls16")), pki["env"] | UNTHROTTLED)
    yield live
    live.stop()


def over_tls(server: LiveServer) -> SimpleNamespace:
    """What `run` needs of a server, pointing at its wss listener (host name localhost, as in the certificate)."""
    return SimpleNamespace(ws_url=server.urls["wss"].replace("127.0.0.1", "localhost"), api_url=server.api_url)


def pem(issued: Issued) -> str:
    return issued.pem().decode()


def hash_data(issued: Issued, issuer: Issued) -> dict:
    """The certificateHashData a station reports for `issued` (SHA256)."""
    issuer_key = issuer.certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": hashlib.sha256(issued.certificate.issuer.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.sha256(issuer_key).hexdigest(),
        "serialNumber": format(issued.certificate.serial_number, "x"),
    }


def security_events(server: LiveServer, cs_id: str) -> list[str]:
    return [event["type"] for event in events(server, cs_id) if event["kind"] == "security"]


async def refused(url: str, cs_id: str, password: str, **connect) -> int:
    """The HTTP status of a refused 1.6 handshake."""
    try:
        async with websockets.connect(f"{url}/{cs_id}", subprotocols=["ocpp1.6"],
                                      additional_headers=basic_auth(cs_id, password), **connect):
            pass
    except websockets.InvalidStatus as error:
        return error.response.status_code
    raise AssertionError("the handshake was accepted")


# -- TC_073 password change ---------------------------------------------------------------------------------
def test_TC_073_update_basic_auth_password(server):
    cs_id = new_station(server)
    new_password = "TC073-new-password!"  # 19 bytes: AuthorizationKey takes 16-20

    received, command = run(server, cs_id, lambda station: seed(
        server, cs_id, station, "reconfigure", {"AuthorizationKey": new_password}))
    assert received == ("ChangeConfiguration", {"key": "AuthorizationKey", "value": new_password.encode().hex()})
    assert (command["status"], command["response"]) == ("completed", {"results": {"AuthorizationKey": "Accepted"}})
    assert new_password not in json.dumps(command["request"])

    # The station reconnects with the new password; the old one no longer works.
    assert asyncio.run(refused(server.ws_url, cs_id, STATION_PASSWORD)) == 401
    heartbeat = run(server, cs_id, lambda station: send(station, "Heartbeat", {}), password=new_password)
    assert heartbeat["currentTime"]


def test_TC_073_update_basic_auth_password_rejected_keeps_the_old_one(server):
    cs_id = new_station(server)
    received, command = run(server, cs_id, lambda station: seed(
        server, cs_id, station, "reconfigure", {"AuthorizationKey": "TC073-refused-pass"}),
        {"ChangeConfiguration": {"status": "Rejected"}})
    assert command["response"] == {"results": {"AuthorizationKey": "Rejected"}}
    assert run(server, cs_id, lambda station: send(station, "Heartbeat", {}))["currentTime"]


# -- TC_075 / TC_076 / TC_078 certificates ----------------------------------------------------------------------
@pytest.mark.parametrize("answer", ["Accepted", "Rejected"])
def test_TC_075_1_install_manufacturer_root_certificate(server, answer):
    _install(server, "MF", "ManufacturerRootCertificate", answer)


@pytest.mark.parametrize("answer", ["Accepted", "Rejected"])
def test_TC_075_2_install_central_system_root_certificate(server, answer):
    _install(server, "CSMS", "CentralSystemRootCertificate", answer)


def _install(server, seed_type: str, wire_type: str, answer: str, certificate: Issued | None = None,
             then_event: str | None = None) -> str:
    cs_id = new_station(server)
    certificate_pem = pem(certificate or issue(f"{cs_id} {seed_type} root", ORG, is_ca=True))

    async def scenario(station):
        body = {"certificates": [{"type": seed_type, "certificate": certificate_pem}]}
        outcome = await seed(server, cs_id, station, "certificates", body)
        if then_event:
            await send(station, "SecurityEventNotification", {"type": then_event, "timestamp": NOW,
                                                               "techInfo": "certificate not valid"})
        return outcome

    received, command = run(server, cs_id, scenario, {"InstallCertificate": {"status": answer}})
    assert received == ("InstallCertificate", {"certificateType": wire_type, "certificate": certificate_pem})
    assert (command["action"], command["status"], command["response"]) == ("InstallCertificate", "completed", {"status": answer})
    return cs_id


def test_TC_076_delete_a_specific_certificate(server):
    cs_id = new_station(server)
    root = issue(f"{cs_id} CSMS root", ORG, is_ca=True)
    installed = hash_data(root, root)

    async def scenario(station):
        listed = await operate(server, cs_id, station, "get-installed-certificate-ids",
                               {"certificateType": "CSMSRootCertificate"})
        chosen = listed[1]["response"]["certificateHashData"][0]
        deleted = await operate(server, cs_id, station, "delete-certificate", chosen)
        return listed, deleted

    (listed_call, listed), (deleted_call, deleted) = run(server, cs_id, scenario, {
        "GetInstalledCertificateIds": {"status": "Accepted", "certificateHashData": [installed]},
        "DeleteCertificate": {"status": "Accepted"},
    })
    assert listed_call == ("GetInstalledCertificateIds", {"certificateType": "CentralSystemRootCertificate"})
    assert (listed["status"], listed["response"]) == ("completed", {"status": "Accepted", "certificateHashData": [installed]})
    assert deleted_call == ("DeleteCertificate", {"certificateHashData": installed})
    assert (deleted["status"], deleted["response"]) == ("completed", {"status": "Accepted"})


@pytest.mark.parametrize("answer", ["Failed", "NotFound"])
def test_TC_076_delete_certificate_failed_or_not_found(server, answer):
    cs_id = new_station(server)
    root = issue(f"{cs_id} CSMS root", ORG, is_ca=True)
    received, command = run(server, cs_id, lambda station: operate(
        server, cs_id, station, "delete-certificate", hash_data(root, root)), {"DeleteCertificate": {"status": answer}})
    assert received == ("DeleteCertificate", {"certificateHashData": hash_data(root, root)})
    assert (command["status"], command["response"]) == ("completed", {"status": answer})


def test_TC_074_sign_certificate_rsa_and_ecdsa(server):
    cs_id = new_station(server)
    keys = [rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP256R1())]

    async def scenario(station):
        received, command = await seed(server, cs_id, station, "trigger", {"trigger": "SignChargingStationCertificate"})
        rounds = []
        for key in keys:
            signed = await send(station, "SignCertificate", {"csr": csr(cs_id, ORG, key)})
            rounds.append((signed, await station.next_call(), await finished(server, cs_id)))
        return received, command, rounds

    received, command, rounds = run(server, cs_id, scenario)
    assert received == ("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    issued = server.api("GET", f"/cs/{cs_id}/certificates/issued").json()
    for key, (signed, (action, payload), delivered) in zip(keys, rounds):
        assert signed == {"status": "Accepted"} and action == "CertificateSigned"
        leaf = x509.load_pem_x509_certificates(payload["certificateChain"].encode())[0]
        assert leaf.public_key().public_numbers() == key.public_key().public_numbers()
        assert format(leaf.serial_number, "X") in {item["serial"] for item in issued}
        assert (delivered["action"], delivered["status"], delivered["response"]) == (
            "CertificateSigned", "completed", {"status": "Accepted"})


def test_TC_077_invalid_charge_point_certificate_security_event(server):
    cs_id = new_station(server)
    # A chain that is not for this station (wrong CN, unknown CA): the station refuses it and reports why.
    chain = pem(issue("not-this-station", ORG, issue("Unknown CA", ORG, is_ca=True)))

    async def scenario(station):
        command_id = await queue_call(server, cs_id, "CertificateSigned", {"certificateChain": chain})
        received = await station.next_call()
        command = await finished(server, cs_id, command_id)
        event = await send(station, "SecurityEventNotification", {
            "type": "InvalidChargePointCertificate", "timestamp": NOW, "techInfo": "CN does not match"})
        return received, command, event

    received, command, event = run(server, cs_id, scenario, {"CertificateSigned": {"status": "Rejected"}})
    assert received == ("CertificateSigned", {"certificateChain": chain})
    assert (command["status"], command["response"]) == ("completed", {"status": "Rejected"})
    assert event == {} and security_events(server, cs_id) == ["InvalidChargePointCertificate"]


def test_TC_078_invalid_central_system_certificate_security_event(server):
    expired_root = issue("Expired CSMS root", ORG, is_ca=True, expired=True)
    cs_id = _install(server, "CSMS", "CentralSystemRootCertificate", "Rejected", expired_root,
                     then_event="InvalidCentralSystemCertificate")
    assert security_events(server, cs_id) == ["InvalidCentralSystemCertificate"]


# -- TC_079 security log, TC_080 / TC_081 signed firmware ----------------------------------------------------------
def test_TC_079_get_security_log(server):
    cs_id = new_station(server)
    body = {"location": "https://logs.example.com/upload", "logType": "SecurityLog", "retries": 1}

    async def scenario(station):
        received, command = await operate(server, cs_id, station, "get-log", body)
        request_id = received[1]["requestId"]
        answers = [await send(station, "LogStatusNotification", {"status": value, "requestId": request_id})
                   for value in ("Uploading", "Uploaded")]
        return received, command, answers

    received, command, answers = run(server, cs_id, scenario, {"GetLog": {"status": "Accepted", "filename": "security.log"}})
    action, payload = received
    assert action == "GetLog" and payload["requestId"] > 0
    assert payload == {"logType": "SecurityLog", "requestId": payload["requestId"],
                       "log": {"remoteLocation": body["location"]}, "retries": 1}
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted", "filename": "security.log"})
    assert answers == [{}, {}]
    stored = [event for event in events(server, cs_id) if event["type"] == "LogStatusNotification"]
    assert {event["requestId"] for event in stored} == {payload["requestId"]}


def _signed_firmware(server, statuses: list[str], security_event: str | None = None):
    cs_id = new_station(server)
    signer = issue("Firmware signer", ORG, issue("Firmware CA", ORG, is_ca=True))
    body = {"location": "https://firmware.example.com/fw-3.0.bin", "retrieveDateTime": NOW,
            "signingCertificate": pem(signer), "signature": "c2lnbmF0dXJl", "retries": 1}

    async def scenario(station):
        received, command = await operate(server, cs_id, station, "update-firmware", body)
        request_id = received[1]["requestId"]
        answers = [await send(station, "SignedFirmwareStatusNotification", {"status": value, "requestId": request_id})
                   for value in statuses]
        if security_event:
            answers.append(await send(station, "SecurityEventNotification", {"type": security_event, "timestamp": NOW,
                                                                                  "techInfo": "signature mismatch"}))
        return received, command, answers

    received, command, answers = run(server, cs_id, scenario)
    action, payload = received
    firmware = {name: body[name] for name in ("location", "retrieveDateTime", "signingCertificate", "signature")}
    assert action == "SignedUpdateFirmware"
    assert payload == {"requestId": payload["requestId"], "firmware": firmware, "retries": 1}
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert all(answer == {} for answer in answers)
    stored = [e["body"] for e in events(server, cs_id) if e["type"] == "SignedFirmwareStatusNotification"]
    assert [item["status"] for item in reversed(stored)] == statuses
    return cs_id


def test_TC_080_secure_firmware_update(server):
    _signed_firmware(server, ["Downloading", "Downloaded", "SignatureVerified", "Installing", "Installed"])


def test_TC_081_secure_firmware_update_invalid_signature(server):
    cs_id = _signed_firmware(server, ["Downloading", "Downloaded", "InvalidSignature"], "InvalidFirmwareSignature")
    assert security_events(server, cs_id) == ["InvalidFirmwareSignature"]


# -- TC_083 upgrade security profile ---------------------------------------------------------------------------------
def test_TC_083_upgrade_security_profile(server, pki):
    cs_id = new_station(server)
    root_pem = pem(pki["server_ca"])

    async def upgrade(station):
        installed = await seed(server, cs_id, station, "certificates",
                               {"certificates": [{"type": "CSMS", "certificate": root_pem}]})
        changed = await seed(server, cs_id, station, "reconfigure", {"SecurityProfile": "2"})
        return installed, changed

    (installed_call, installed), (changed_call, changed) = run(server, cs_id, upgrade)
    assert installed_call == ("InstallCertificate", {"certificateType": "CentralSystemRootCertificate", "certificate": root_pem})
    assert installed["response"] == {"status": "Accepted"}
    assert changed_call == ("ChangeConfiguration", {"key": "SecurityProfile", "value": "2"})
    assert changed["response"] == {"results": {"SecurityProfile": "Accepted"}}

    # The operator records the new profile (OCPP 2 = seed 1: TLS + Basic auth); the station reconnects over wss.
    server.register(cs_id, security_profile=1)
    boot = run(over_tls(server), cs_id, lambda station: send(station, "Heartbeat", {}), ssl=client_context(pki))
    assert boot["currentTime"]
    assert server.api("GET", f"/cs/{cs_id}").json()["bootStatus"] == "Accepted"
    assert asyncio.run(refused(server.ws_url, cs_id, STATION_PASSWORD)) == 401  # no way back to plain ws


# -- TC_085 … TC_088 connection security ----------------------------------------------------------------------------
def test_TC_085_basic_auth_valid(server):
    cs_id = new_station(server)
    assert run(server, cs_id, lambda station: send(station, "Heartbeat", {}))["currentTime"]
    assert server.api("GET", f"/cs/{cs_id}").json()["bootStatus"] == "Accepted"
    assert asyncio.run(refused(server.ws_url, cs_id, "a-wrong-password")) == 401


def test_TC_085_basic_auth_binary_authorization_key(server):
    """An AuthorizationKey is 16-20 bytes, sent hex in ChangeConfiguration, raw in the Basic header (SteVe #1895)."""
    cs_id = new_station(server)
    key = "0123456789abcdef!!"
    received, command = run(server, cs_id, lambda station: seed(server, cs_id, station, "reconfigure", {"AuthorizationKey": key}))
    assert received[1]["value"] == key.encode().hex() and command["response"]["results"]["AuthorizationKey"] == "Accepted"
    assert run(server, cs_id, lambda station: send(station, "Heartbeat", {}), password=key)["currentTime"]


def test_TC_086_tls_server_certificate_valid(server, pki):
    cs_id = new_station(server, security_profile=1)

    async def scenario(station):
        heartbeat = await send(station, "Heartbeat", {})
        return heartbeat, station._connection.transport.get_extra_info("ssl_object").version()

    heartbeat, version = run(over_tls(server), cs_id, scenario, ssl=client_context(pki))
    assert heartbeat["currentTime"] and version in ("TLSv1.2", "TLSv1.3")
    assert asyncio.run(refused(server.ws_url, cs_id, STATION_PASSWORD)) == 401  # profile 2 over plain ws


def test_TC_087_tls_client_certificate_valid(server, pki):
    cs_id = new_station(server, security_profile=2, password=None)
    client = issue(cs_id, ORG, pki["station_ca"])
    heartbeat = run(over_tls(server), cs_id, lambda station: send(station, "Heartbeat", {}),
                    ssl=client_context(pki, client), password=None)
    assert heartbeat["currentTime"]
    stranger = issue("someone-else", ORG, pki["station_ca"])
    assert asyncio.run(refused(over_tls(server).ws_url, cs_id, STATION_PASSWORD, ssl=client_context(pki, stranger))) == 401


def test_TC_088_websocket_subprotocol_negotiation(server):
    cs_id = new_station(server)
    headers = basic_auth(cs_id, STATION_PASSWORD)

    async def negotiate():
        async with websockets.connect(f"{server.ws_url}/{cs_id}", subprotocols=["ocpp1.6"], additional_headers=headers) as ws:
            chosen = ws.subprotocol
        async with websockets.connect(f"{server.ws_url}/{cs_id}", subprotocols=["ocpp1.5"], additional_headers=headers) as ws:
            none_shared = ws.subprotocol
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
        return chosen, none_shared, closed.value.rcvd.code

    chosen, none_shared, close_code = asyncio.run(negotiate())
    assert chosen == "ocpp1.6"
    assert none_shared is None and close_code == 1002
