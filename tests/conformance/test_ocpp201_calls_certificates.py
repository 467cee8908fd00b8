"""OCTT 2.0.1 cases M (certificate management) in which the CSMS sends the call: InstallCertificate through the
seed's POST /cs/{csId}/certificates, GetInstalledCertificateIds and DeleteCertificate through the typed endpoints.

The root certificates are the operator's (made in the test); none of these cases needs the CSMS to sign
anything. OCTT's step lists are not public: each scenario is the case's flow as its name and Part 2 (M03–M05)
describe it.
"""
from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import serialization

from ocpp201_calls_support import Case, run_case, server  # noqa: F401
from tests.gateway.certs import Issued, issue

CSMS_ROOT = issue("CSMS Root", "CSMS tests", is_ca=True)
MANUFACTURER_ROOT = issue("Manufacturer Root", "ACME", is_ca=True)
V2G_ROOT = issue("V2G Root", "CSMS tests", is_ca=True)


def hash_data(issued: Issued) -> dict[str, str]:
    """OCPP CertificateHashDataType of a self-signed root (its own issuer), SHA256."""
    certificate = issued.certificate
    issuer_key = certificate.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": hashlib.sha256(certificate.issuer.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.sha256(issuer_key).hexdigest(),
        "serialNumber": format(certificate.serial_number, "x"),
    }


def install_case(server, seed_type: str, issued: Issued, station_answers: list[str]) -> tuple[list, dict]:
    """POST /certificates one root of `seed_type`; the station answers each InstallCertificate in turn."""
    pem = issued.pem().decode()
    answers = list(station_answers)

    async def scenario(case: Case):
        await case.seed("certificates", {"certificates": [{"type": seed_type, "certificate": pem}]})
        received = [await case.next_call() for _ in station_answers]
        command = await case.finished(action="InstallCertificate")
        await case.no_call(1)
        return received, command

    received, command = run_case(server, scenario, {"InstallCertificate": lambda payload: {"status": answers.pop(0)}})
    for action, payload in received:
        assert action == "InstallCertificate" and payload["certificate"] == pem
    return [payload["certificateType"] for _, payload in received], command


def test_TC_M_01_install_csms_root_certificate(server):
    types, command = install_case(server, "CSMS", CSMS_ROOT, ["Accepted"])
    assert types == ["CSMSRootCertificate"]
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}


def test_TC_M_02_install_manufacturer_root_certificate(server):
    types, command = install_case(server, "MF", MANUFACTURER_ROOT, ["Accepted"])
    assert types == ["ManufacturerRootCertificate"]
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}


def test_TC_M_05_install_certificate_failed(server):
    # Failed is retried like a timeout (behaviour.md §7.4); here at most 2 attempts, then the command fails.
    types, command = install_case(server, "CSMS", CSMS_ROOT, ["Failed", "Failed"])
    assert types == ["CSMSRootCertificate", "CSMSRootCertificate"]
    assert command["status"] == "failed" and "Failed" in command["response"]["error"]["code"]


def installed_ids_case(server, body: dict[str, Any], answer: dict[str, Any]) -> tuple[tuple, dict]:
    async def scenario(case: Case):
        command_id = await case.queue("get-installed-certificate-ids", body)
        return await case.next_call(), await case.finished(command_id)

    return run_case(server, scenario, {"GetInstalledCertificateIds": answer})


def chain(certificate_type: str, issued: Issued) -> dict[str, Any]:
    return {"certificateType": certificate_type, "certificateHashData": hash_data(issued)}


def test_TC_M_13_get_installed_certificate_ids_manufacturer_root(server):
    answer = {"status": "Accepted", "certificateHashDataChain": [chain("ManufacturerRootCertificate", MANUFACTURER_ROOT)]}
    received, command = installed_ids_case(server, {"certificateType": "ManufacturerRootCertificate"}, answer)
    assert received == ("GetInstalledCertificateIds", {"certificateType": ["ManufacturerRootCertificate"]})
    assert command["status"] == "completed" and command["response"] == answer


def test_TC_M_18_get_installed_certificate_ids_all_types(server):
    answer = {"status": "Accepted", "certificateHashDataChain": [
        chain("CSMSRootCertificate", CSMS_ROOT), chain("ManufacturerRootCertificate", MANUFACTURER_ROOT),
        chain("V2GRootCertificate", V2G_ROOT)]}
    received, command = installed_ids_case(server, {}, answer)
    assert received == ("GetInstalledCertificateIds", {})
    assert command["status"] == "completed" and command["response"] == answer


def test_TC_M_19_get_installed_certificate_ids_no_match(server):
    received, command = installed_ids_case(server, {"certificateType": "V2GRootCertificate"}, {"status": "NotFound"})
    assert received == ("GetInstalledCertificateIds", {"certificateType": ["V2GRootCertificate"]})
    assert command["status"] == "completed" and command["response"] == {"status": "NotFound"}


def delete_case(server, station_status: str) -> tuple[tuple, dict]:
    async def scenario(case: Case):
        command_id = await case.queue("delete-certificate", hash_data(MANUFACTURER_ROOT))
        return await case.next_call(), await case.finished(command_id)

    return run_case(server, scenario, {"DeleteCertificate": {"status": station_status}})


def test_TC_M_20_delete_certificate_success(server):
    received, command = delete_case(server, "Accepted")
    assert received == ("DeleteCertificate", {"certificateHashData": hash_data(MANUFACTURER_ROOT)})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}


def test_TC_M_21_delete_certificate_failed(server):
    received, command = delete_case(server, "Failed")
    assert received == ("DeleteCertificate", {"certificateHashData": hash_data(MANUFACTURER_ROOT)})
    assert command["status"] == "completed" and command["response"] == {"status": "Failed"}
