"""Certificate status offline: our OCSP responder over HTTP, GetCertificateStatus and Authorize with hash data
answered from it (good, revoked, unknown), an external responder asked over HTTP, an unreachable one refused."""
from __future__ import annotations

import base64
import datetime

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp
from ocpp.v201 import call as call201

from pki import ocsp
from pki.authority import Authority, name, new_key
from pki.issuing import issue_ca, issue_leaf
from tests.conftest import LiveServer
from tests.gateway.certs import csr
from tests.stations import recording_station
from tests.pki.http_peer import HttpPeer
from tests.pki.test_station_certificates import get_certificate, run, tls_context, wss

CS_ID = "ocsp-station"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> LiveServer:
    live = LiveServer.start(tmp_path_factory.mktemp("ocsp"), {"CSMS_AUTH_FAILURE_LIMIT": "1000", "CSMS_OCSP_TIMEOUT": "2"})
    live.register(CS_ID, security_profile=1)
    assert live.api("POST", "/token", json={
        "countryCode": "GB", "partyId": "TWK", "type": "RFID", "uid": "EMAID1", "contractId": "GBTWK012345678",
        "issuer": "Test", "valid": True, "cacheMode": "ALWAYS",
    }).status_code == 201
    yield live
    live.stop()


@pytest.fixture(scope="module")
def issued(server) -> tuple[x509.Certificate, x509.Certificate]:
    """A certificate our CA issued to the station, and the sub-CA that signed it."""
    chain = run(get_certificate(server, CS_ID, "2.0.1", ec.generate_private_key(ec.SECP256R1())))
    leaf, issuer = x509.load_pem_x509_certificates(chain.encode())
    return leaf, issuer


def request_data(leaf: x509.Certificate, issuer: x509.Certificate, responder: str, algorithm: str = "SHA256") -> dict:
    data = ocsp.hash_data(leaf, issuer, algorithm)
    return {"hashAlgorithm": data.hash_algorithm, "issuerNameHash": data.issuer_name_hash,
            "issuerKeyHash": data.issuer_key_hash, "serialNumber": data.serial_number, "responderURL": responder}


async def station_calls(server: LiveServer, *requests_: object) -> list:
    async with recording_station(server, CS_ID, "2.0.1", ssl=tls_context(server), url=wss(server)) as station:
        return [await station.call(request) for request in requests_]


def certificate_status(server: LiveServer, data: dict) -> tuple[str, str | None]:
    (answer,) = run(station_calls(server, call201.GetCertificateStatus(ocsp_request_data=data)))
    if answer.status != "Accepted":
        return answer.status, None
    return answer.status, ocsp.status_of(base64.b64decode(answer.ocsp_result))


def test_our_responder_answers_over_http_for_every_hash_algorithm(server, issued):
    leaf, issuer = issued
    assert leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value[0].access_location.value == (
        f"{server.api_url.removesuffix('/api/v0')}/ocsp"
    )
    for algorithm in ("SHA1", "SHA256", "SHA384", "SHA512"):
        request = x509_ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, ocsp.ALGORITHMS[algorithm]()).build()
        der = request.public_bytes(serialization.Encoding.DER)
        posted = requests.post(f"{server.api_url.removesuffix('/api/v0')}/ocsp", data=der, timeout=10,
                               headers={"Content-Type": "application/ocsp-request"})
        assert (posted.headers["Content-Type"], ocsp.status_of(posted.content)) == ("application/ocsp-response", "Good")
    got = requests.get(f"{server.api_url.removesuffix('/api/v0')}/ocsp/{base64.b64encode(der).decode()}", timeout=10)
    assert ocsp.status_of(got.content) == "Good"


def test_get_certificate_status_good_unknown_then_revoked(server, issued):
    leaf, issuer = issued
    assert certificate_status(server, request_data(leaf, issuer, "http://127.0.0.1:1/ocsp")) == ("Accepted", "Good")
    stranger = issue_leaf(_authority_like(issuer), name("x"), new_key().public_key(), "ChargingStationCertificate", 1)
    assert certificate_status(server, request_data(stranger, issuer, "http://127.0.0.1:1/ocsp")) == ("Accepted", "Unknown")
    serial = format(leaf.serial_number, "X")
    assert server.api("DELETE", f"/cs/{CS_ID}/certificates/issued/{serial}").status_code == 204
    assert certificate_status(server, request_data(leaf, issuer, "http://127.0.0.1:1/ocsp")) == ("Accepted", "Revoked")


def test_an_external_responder_is_asked_over_http(server, external_responder):
    leaf, issuer, url = external_responder
    assert certificate_status(server, request_data(leaf, issuer, url)) == ("Accepted", "Good")


def test_an_unreachable_responder_is_failed_with_a_security_event(server):
    stranger_ca = issue_ca(name("Stranger CA"), new_key(), None, 30, path_length=0)
    leaf = issue_leaf(stranger_ca, name("y"), new_key().public_key(), "ChargingStationCertificate", 1)
    assert certificate_status(server, request_data(leaf, stranger_ca.certificate, "http://127.0.0.1:1/ocsp")) == (
        "Failed", None
    )
    events = server.api("GET", f"/cs/{CS_ID}/events").json()
    assert any(event["type"] == "OcspResponderUnreachable" for event in events)


def test_authorize_with_hash_data_checks_the_contract_chain(server, external_responder):
    leaf, issuer, url = external_responder
    good = request_data(leaf, issuer, url)
    id_token = {"idToken": "EMAID1", "type": "eMAID"}
    revoked_leaf, revoked_issuer, _ = external_responder.revoked
    revoked = request_data(revoked_leaf, revoked_issuer, url)
    answers = run(station_calls(
        server,
        call201.Authorize(id_token=id_token, iso15118_certificate_hash_data=[good]),
        call201.Authorize(id_token=id_token, iso15118_certificate_hash_data=[good, revoked]),
    ))
    assert (answers[0].certificate_status, answers[0].id_token_info["status"]) == ("Accepted", "Accepted")
    assert (answers[1].certificate_status, answers[1].id_token_info["status"]) == ("CertificateRevoked", "Blocked")


class _Responder(HttpPeer):
    """An OCSP responder of another CA (a mobility operator's contract CA, say)."""

    def __init__(self) -> None:
        self.ca = issue_ca(name("Mobility Operator CA"), new_key(), None, 30, path_length=0)
        self.good = issue_leaf(self.ca, name("EMAID1"), new_key().public_key(), "Contract", 30)
        gone = issue_leaf(self.ca, name("EMAID2"), new_key().public_key(), "Contract", 30)
        revoked_at = datetime.datetime.now(datetime.timezone.utc).isoformat()
        known = {self.good.serial_number: (True, None), gone.serial_number: (True, revoked_at)}
        super().__init__(lambda body, _: ocsp.respond(body, [self.ca], lambda serial: known.get(serial, (False, None))),
                         "/ocsp")
        self.revoked = (gone, self.ca.certificate, self.url)

    def __iter__(self):
        return iter((self.good, self.ca.certificate, self.url))


@pytest.fixture(scope="module")
def external_responder():
    responder = _Responder()
    yield responder
    responder.stop()


def _authority_like(issuer: x509.Certificate) -> Authority:
    """A signer that carries `issuer`'s name and key hash in requests but is not it: for a serial never issued."""
    return Authority(issuer, ec.generate_private_key(ec.SECP256R1()))


def test_a_contract_certificate_from_our_contract_ca_is_checked_offline(server):
    key = ec.generate_private_key(ec.SECP256R1())
    body = {"emaid": "GB-TWK-012345678", "csr": csr("GBTWK012345678V", None, key)}
    issued = server.api("POST", "/pki/contract-certificates", json=body)
    assert issued.status_code == 201, issued.text
    leaf, contract_ca = x509.load_pem_x509_certificates(issued.json()["certificateChain"].encode())
    assert issued.json()["emaid"] == "GBTWK012345678V" and leaf.public_key().public_numbers() == key.public_key().public_numbers()
    data = request_data(leaf, contract_ca, "http://127.0.0.1:1/ocsp")  # never asked: our own CA answers
    id_token = {"idToken": "EMAID1", "type": "eMAID"}
    (good,) = run(station_calls(server, call201.Authorize(id_token=id_token, iso15118_certificate_hash_data=[data])))
    assert server.api("DELETE", f"/pki/contract-certificates/{issued.json()['serial']}").status_code == 204
    (revoked,) = run(station_calls(server, call201.Authorize(id_token=id_token, iso15118_certificate_hash_data=[data])))
    assert (good.certificate_status, revoked.certificate_status) == ("Accepted", "CertificateRevoked")


@pytest.mark.parametrize(
    "body, error",
    [
        ({"emaid": "GB-TWK-012345678", "csr": csr("someone-else")}, "body.csr: the CSR's CN ['someone-else'] is not the eMAID"),
        ({"emaid": "not an emaid", "csr": csr("x")}, "body.emaid: emaid not an emaid is invalid"),
        ({"emaid": "GB-TWK-012345678", "csr": "garbage"}, "body.csr: not a PEM certificate signing request"),
    ],
)
def test_bad_contract_certificate_requests_are_400(server, body, error):
    response = server.api("POST", "/pki/contract-certificates", json=body)
    assert response.status_code == 400 and error in response.json()["error"]
    assert server.api("DELETE", "/pki/contract-certificates/ABCDEF").status_code == 404
