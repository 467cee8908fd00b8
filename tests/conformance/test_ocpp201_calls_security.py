"""OCTT 2.0.1 case A_19 (upgrade the security profile): SetNetworkProfile, SetVariables NetworkConfigurationPriority
and Reset queued through the management API; the station comes back over wss (OCPP security profile 2 = TLS +
Basic auth, our `securityProfile` 1) and its old plain-ws connection is refused from then on.

OCTT's step list is not public: the scenario is the case's description in behaviour.md §12 and Part 2 (A05).
"""
from __future__ import annotations

import asyncio
import dataclasses
import ssl
from pathlib import Path
from typing import Iterator

import pytest
import websockets
from cryptography import x509

from ocpp201_calls_support import CALLS_ENV, Case, new_station, reboot, run_case, server  # noqa: F401 - a fixture
from tests.conftest import STATION_PASSWORD, LiveServer, password_hash, station_client
from tests.gateway.certs import csr, issue


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, ssl.SSLContext]]:
    """A CSMS listening on ws and wss, and a station TLS context that trusts its server certificate."""
    directory = Path(tmp_path_factory.mktemp("pki201calls"))
    server_ca = issue("Server CA", "CSMS tests", is_ca=True)
    cert, key = issue("localhost", "CSMS tests", server_ca, server=True).write(directory, "server")
    ca_path, _ = server_ca.write(directory, "server-ca")
    live = LiveServer.start(directory, CALLS_ENV | {"CSMS_TLS_CERT": cert, "CSMS_TLS_KEY": key})
    yield live, ssl.create_default_context(cafile=ca_path)
    live.stop()


def test_TC_A_19_upgrade_security_profile(tls_server):
    server, context = tls_server
    cs_id = new_station(server)  # securityProfile 0: plain ws + Basic auth
    wss = server.urls["wss"].replace("127.0.0.1", "localhost")
    profile = {"configurationSlot": 2, "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": f"{wss}/", "messageTimeout": 30,
        "securityProfile": 2, "ocppInterface": "Wired0"}}

    async def scenario(case: Case):
        network = await case.queue("call", {"action": "SetNetworkProfile", "payload": profile})
        calls = [await case.next_call()]
        network = await case.finished(network)
        await case.seed("reconfigure", {"OCPPCommCtrlr/NetworkConfigurationPriority": "2,1"})
        calls.append(await case.next_call())
        priority = await case.finished(action="SetVariables")
        reset = await case.queue("reset", {"type": "OnIdle"})
        calls.append(await case.next_call())
        reset = await case.finished(reset)
        # The operator raises the station's profile: from now on only TLS with Basic auth.
        await case.api("POST", f"/cs/{case.cs_id}", {"securityProfile": 1, "base64SHA256Password": password_hash(STATION_PASSWORD)}, 201)
        # The station reboots and uses the new slot: wss with the same Basic auth credentials.
        over_tls = dataclasses.replace(server, urls={**server.urls, "ws": wss})
        boot = await reboot(Case(over_tls, case.cs_id, case.recorder), "RemoteReset", ssl=context)
        return calls, (network, priority, reset), boot

    calls, (network, priority, reset), boot = run_case(server, scenario, cs_id=cs_id)
    assert calls[0] == ("SetNetworkProfile", profile)
    assert calls[1] == ("SetVariables", {"setVariableData": [
        {"attributeType": "Actual", "attributeValue": "2,1", "component": {"name": "OCPPCommCtrlr"},
         "variable": {"name": "NetworkConfigurationPriority"}}]})
    assert calls[2] == ("Reset", {"type": "OnIdle"})
    assert network["response"] == {"status": "Accepted"} and reset["response"] == {"status": "Accepted"}
    assert priority["response"] == {"results": {"OCPPCommCtrlr/NetworkConfigurationPriority": "Accepted"}}
    assert boot["status"] == "Accepted"
    assert server.api("GET", f"/cs/{cs_id}").json()["securityProfile"] == 1

    async def old_profile_refused() -> None:
        async with station_client(server.ws_url, cs_id, "ocpp2.0.1", password=STATION_PASSWORD):
            pass

    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        asyncio.run(old_profile_refused())
    assert refused.value.response.status_code == 401


def update_station_certificate(station_answer: str):
    """TC_A_11 / TC_A_14's scenario: the CSMS triggers SignChargingStationCertificate, signs the station's CSR with
    its own CA and sends the chain; the station answers CertificateSigned with `station_answer`."""

    async def scenario(case: Case):
        await case.seed("trigger", {"trigger": "SignChargingStationCertificate"})
        trigger = await case.next_call()
        signed = await case.send("SignCertificate", {"csr": csr(case.cs_id), "certificateType": "ChargingStationCertificate"})
        delivered = await case.next_call()
        command = await case.finished(action="CertificateSigned")
        events = []
        if station_answer == "Rejected":  # A02.FR.08: the station reports why
            await case.send("SecurityEventNotification", {
                "type": "InvalidChargingStationCertificate", "timestamp": "2026-01-01T00:00:00Z"})
            events = await case.security_events()
        return trigger, signed, delivered, command, events

    return scenario


@pytest.mark.parametrize("case_id, station_answer", [("TC_A_11", "Accepted"), ("TC_A_14", "Rejected")])
def test_TC_A_11_A_14_update_charging_station_certificate_by_request_of_csms(server, case_id, station_answer):
    cs_id = new_station(server)
    trigger, signed, (action, payload), command, events = run_case(
        server, update_station_certificate(station_answer), {"CertificateSigned": {"status": station_answer}}, cs_id
    )
    assert trigger == ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
    assert signed == {"status": "Accepted"}
    assert action == "CertificateSigned" and payload["certificateType"] == "ChargingStationCertificate"  # A02.FR.14
    leaf, issuer = x509.load_pem_x509_certificates(payload["certificateChain"].encode())
    leaf.verify_directly_issued_by(issuer)
    assert leaf.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == cs_id
    assert (command["status"], command["response"]) == ("completed", {"status": station_answer})
    issued = server.api("GET", f"/cs/{cs_id}/certificates/issued").json()
    assert [item["serial"] for item in issued] == [format(leaf.serial_number, "X")]
    if station_answer == "Rejected":
        assert events[-1] == "InvalidChargingStationCertificate"
