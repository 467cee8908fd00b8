"""The credentials handshake both ways, as /register's PENDING and REGISTERED say: the eMSP registers itself with token
A, the CSMS registers itself with a party whose versions URL it was given, tokens are renewed (PUT) and dropped
(DELETE)."""
from __future__ import annotations

import base64
import secrets

import requests

from tests.ocpi.conftest import add_location, is_push, module_url, new_station, register, versions_url
from tests.ocpi.emsp import Emsp, token_header
from tests.ocpi.ocpi_objects import CREDENTIALS, VERSION_DETAILS, VERSIONS, data


def test_a_pending_token_reaches_only_versions_and_credentials(server):
    token_a = f"pending-{secrets.token_hex(6)}"
    register(server, token_a)
    data(requests.get(versions_url(server), headers=token_header(token_a), timeout=10), VERSIONS)
    details = data(requests.get(module_url(server, "").rstrip("/"), headers=token_header(token_a), timeout=10), VERSION_DETAILS)
    assert {"credentials", "locations", "sessions", "cdrs", "tariffs", "tokens", "commands"} <= {e["identifier"] for e in details["endpoints"]}
    refused = requests.get(module_url(server, "locations"), headers=token_header(token_a), timeout=10)
    assert refused.status_code == 401 and refused.json()["status_code"] == 2000


def test_the_emsp_registers_with_token_a_and_then_uses_token_c_only(server, emsp):
    assert emsp.cpo_token and len(emsp.cpo_token) <= 64
    # While answering our POST, the CSMS fetched our versions and details with the token we gave it.
    assert emsp.wait_for(is_push("GET", "/ocpi/versions"))[0].authorized
    ours = data(emsp.cpo("GET", module_url(server, "credentials")), CREDENTIALS)
    assert ours["token"] == emsp.cpo_token and ours["roles"][0]["role"] == "CPO"
    data(emsp.cpo("GET", module_url(server, "locations")))
    again = emsp.cpo("POST", module_url(server, "credentials"), json=emsp.credentials())
    assert again.status_code == 405 and again.json()["status_code"] == 2000


def test_a_registered_party_may_call_with_the_raw_or_the_base64_token(server):
    token = f"registered-{secrets.token_hex(6)}"
    register(server, token, status="REGISTERED")
    for header in (f"Token {token}", f"Token {base64.b64encode(token.encode()).decode()}"):
        data(requests.get(module_url(server, "locations"), headers={"Authorization": header}, timeout=10))


def test_put_renews_the_token_and_delete_unregisters(server, emsp):
    old = emsp.cpo_token
    renewed = data(emsp.cpo("PUT", module_url(server, "credentials"), json=emsp.credentials()), CREDENTIALS)
    assert renewed["token"] != old
    assert emsp.cpo("GET", module_url(server, "locations")).status_code == 401
    emsp.cpo_token = renewed["token"]
    data(emsp.cpo("DELETE", module_url(server, "credentials")))
    gone = emsp.cpo("GET", module_url(server, "locations"))
    assert gone.status_code == 401 and gone.json()["status_code"] == 2000


def test_put_and_delete_before_registration_are_405(server):
    token = f"unregistered-{secrets.token_hex(6)}"
    register(server, token)
    for method in ("PUT", "DELETE"):
        answer = requests.request(method, module_url(server, "credentials"), json={}, headers=token_header(token), timeout=10)
        assert answer.status_code == 405, answer.text


def test_register_with_a_url_makes_the_csms_run_the_handshake_and_push_its_locations(server):
    location_id = add_location(server, [new_station(server)])
    party = Emsp()
    try:
        party.accepted_tokens.add("token-A-for-the-cpo")
        register(server, "token-A-for-the-cpo", url=party.versions_url)
        posted = party.wait_for(is_push("POST", "/credentials"), timeout=5)[0]
        assert posted.authorized and posted.body["roles"][0]["party_id"] == "TWK"
        put = party.wait_for(is_push("PUT", f"/locations/GB/TWK/{location_id}"), timeout=5)[0]
        assert put.authorized and put.headers["Authorization"] == token_header(party.own_token)["Authorization"]
        party.cpo_token = posted.body["token"]
        data(party.cpo("GET", module_url(server, "locations")))  # token B works: the handshake is done
    finally:
        party.stop()


def test_a_partner_down_at_registration_gets_the_handshake_when_it_is_back(server):
    party = Emsp()
    party.accepted_tokens.add("token-A-down")
    party.go_offline()
    try:
        register(server, "token-A-down", url=party.versions_url)
        party.go_online()
        posted = party.wait_for(is_push("POST", "/credentials"), timeout=10)[0]
        assert posted.authorized
    finally:
        party.stop()
