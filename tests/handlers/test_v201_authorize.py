"""OCPP 2.0.1 Authorize: the token rule per idToken type, through the real routing and store."""
from __future__ import annotations

import json

import pytest

from v201_support import CS_ID, add_station, caller


@pytest.fixture
def call(store):
    add_station(store)
    store.write(
        lambda db: db["tokens"].insert_all(
            [
                {"uid": "GOOD", "valid": 1, "cache_mode": "ALWAYS"},
                {"uid": "BLOCKED", "valid": 0, "cache_mode": "ALWAYS"},
                {"uid": "GROUPED", "valid": 1, "group_id": "FLEET-1", "cache_mode": "NEVER", "language_code": "nl"},
                {"uid": "EMAID-ROW", "valid": 1, "contract_id": "NL-TNM-C00122045-K", "cache_mode": "ALWAYS"},
            ]
        )
    )
    return caller(store)


def authorize(call, id_token: str, token_type: str, **extra) -> dict:
    return call("Authorize", {"idToken": {"idToken": id_token, "type": token_type}, **extra})["idTokenInfo"]


@pytest.mark.parametrize(
    "id_token, token_type, status",
    [
        ("GOOD", "ISO14443", "Accepted"),
        ("GOOD", "ISO15693", "Accepted"),
        ("GOOD", "KeyCode", "Accepted"),
        ("GOOD", "MacAddress", "Accepted"),
        ("NOPE", "ISO14443", "Unknown"),
        ("NOPE", "eMAID", "Unknown"),
        ("BLOCKED", "ISO14443", "Blocked"),
        ("BLOCKED", "Central", "Blocked"),
        ("", "NoAuthorization", "Accepted"),
        ("NOPE", "Local", "Invalid"),
        ("GOOD", "Local", "Accepted"),
        ("NOPE", "Central", "Invalid"),
        ("GOOD", "Central", "Accepted"),
    ],
)
def test_token_rule_per_type(call, id_token, token_type, status):
    assert authorize(call, id_token, token_type)["status"] == status


def test_emaid_matches_normalised_contract_id(call):
    assert authorize(call, "NLTNMC00122045K", "eMAID") == {"status": "Accepted"}


def test_accepted_token_carries_group_cache_expiry_and_language(call):
    info = authorize(call, "GROUPED", "ISO14443")
    assert info["status"] == "Accepted"
    assert info["groupIdToken"] == {"idToken": "FLEET-1", "type": "Central"}
    assert info["language1"] == "nl"
    assert info["cacheExpiryDateTime"].endswith("Z")


def test_plain_accepted_token_has_no_extras(call):
    assert authorize(call, "GOOD", "ISO14443") == {"status": "Accepted"}


def test_central_token_we_issued_for_remote_start_is_accepted(call, store):
    request = {"idToken": {"idToken": "REMOTE-1", "type": "Central"}, "remoteStartId": 7}
    store.write(
        lambda db: db["commands"].insert(
            {"cs_id": CS_ID, "operation": "RequestStartTransaction", "action": "RequestStartTransaction",
             "request": json.dumps(request), "status": "completed"}
        )
    )
    assert authorize(call, "REMOTE-1", "Central")["status"] == "Accepted"
    add_station(store, "OTHER")
    other = call("Authorize", {"idToken": {"idToken": "REMOTE-1", "type": "Central"}}, cs_id="OTHER")
    assert other["idTokenInfo"]["status"] == "Invalid"


def test_certificate_data_with_no_reachable_responder_blocks_the_contract(call):
    hash_data = {"hashAlgorithm": "SHA256", "issuerNameHash": "a" * 64, "issuerKeyHash": "b" * 64,
                 "serialNumber": "01", "responderURL": "http://127.0.0.1:1/ocsp"}
    answer = call(
        "Authorize",
        {"idToken": {"idToken": "GOOD", "type": "eMAID"}, "iso15118CertificateHashData": [hash_data]},
    )
    assert answer == {"idTokenInfo": {"status": "Blocked"}, "certificateStatus": "NoCertificateAvailable"}


def test_authorize_refreshes_last_seen(call, store):
    authorize(call, "GOOD", "ISO14443")
    store.write(lambda db: None)  # the best-effort last-seen write commits with or before this batch
    station = store.read(lambda db: db["stations"].get(CS_ID))
    assert station["last_seen"]
