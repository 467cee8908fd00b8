"""Local list payloads per OCPP version: stored tokens as entries, Full and Differential, and what a station holds
after accepting one (the round trip the outbox relies on)."""
from __future__ import annotations

import pytest
from ocpp.messages import MessageType

from protocol.local_lists import LocalListState, held_after, send_local_list
from protocol.validation import validate

TOKENS = [
    {"uid": "AAA111", "type": "RFID", "valid": 1, "group_id": "FLEET"},
    {"uid": "BBB222", "type": "APP_USER", "valid": 0, "group_id": None},
]
VERSIONS = ["1.6", "2.0.1", "2.1"]


def state(tokens=TOKENS, version=None, entries=None, in_sync=None, reported=None) -> LocalListState:
    return LocalListState(version, entries or {}, in_sync, reported, tokens)


def test_a_full_list_of_stored_tokens_in_16():
    assert send_local_list("1.6", {"updateType": "Full", "listVersion": 4}, state()) == {
        "listVersion": 4,
        "updateType": "Full",
        "localAuthorizationList": [
            {"idTag": "AAA111", "idTagInfo": {"status": "Accepted", "parentIdTag": "FLEET"}},
            {"idTag": "BBB222", "idTagInfo": {"status": "Blocked"}},
        ],
    }


def test_a_full_list_of_stored_tokens_in_201_with_each_tokens_type():
    assert send_local_list("2.0.1", {"updateType": "Full", "listVersion": 4}, state()) == {
        "versionNumber": 4,
        "updateType": "Full",
        "localAuthorizationList": [
            {"idToken": {"idToken": "AAA111", "type": "ISO14443"},
             "idTokenInfo": {"status": "Accepted", "groupIdToken": {"idToken": "FLEET", "type": "Central"}}},
            {"idToken": {"idToken": "BBB222", "type": "Central"}, "idTokenInfo": {"status": "Blocked"}},
        ],
    }  # fmt: skip


@pytest.mark.parametrize("version", VERSIONS)
def test_an_empty_full_list_clears_and_validates(version):
    payload = send_local_list(version, {"updateType": "Full"}, state(tokens=[]))
    assert "localAuthorizationList" not in payload and payload["updateType"] == "Full"
    validate(MessageType.Call, "SendLocalList", payload, version)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_differential_holds_only_what_changed_and_the_station_ends_with_the_store(version):
    before = send_local_list(version, {"updateType": "Full", "listVersion": 1}, state())
    held = held_after(version, before, None)
    assert held is not None and held[0] == 1
    gone = held_after(version, send_local_list(version, {"updateType": "Full", "listVersion": 1},
                                               state(TOKENS + [{"uid": "GONE", "type": "RFID", "valid": 1}])), None)[1]
    now = [TOKENS[0], {**TOKENS[1], "valid": 1}, {"uid": "CCC333", "type": "RFID", "valid": 1, "group_id": None}]
    payload = send_local_list(version, {"updateType": "Differential"}, state(now, version=1, entries=gone))
    validate(MessageType.Call, "SendLocalList", payload, version)
    uids = [item.get("idTag") or item["idToken"]["idToken"] for item in payload["localAuthorizationList"]]
    assert (payload["updateType"], uids) == ("Differential", ["BBB222", "CCC333", "GONE"])
    assert held_after(version, payload, gone) == held_after(
        version, send_local_list(version, {"updateType": "Full", "listVersion": 2}, state(now)), None)


@pytest.mark.parametrize("in_sync, version", [(False, 3), (None, None)])
def test_a_differential_on_a_list_we_cannot_trust_goes_full(in_sync, version):
    payload = send_local_list("1.6", {"updateType": "Differential"}, state(version=version, in_sync=in_sync, reported=7))
    assert (payload["updateType"], payload["listVersion"]) == ("Full", 8)


def test_a_differential_on_an_unknown_list_leaves_it_unknown():
    assert held_after("1.6", {"listVersion": 2, "updateType": "Differential"}, None) is None


def test_uids_too_long_for_the_version_are_left_out():
    long_uid = {"uid": "X" * 30, "type": "RFID", "valid": 1, "group_id": None}
    assert "localAuthorizationList" not in send_local_list("1.6", {"updateType": "Full"}, state([long_uid]))
    assert len(send_local_list("2.0.1", {"updateType": "Full"}, state([long_uid]))["localAuthorizationList"]) == 1


def test_token_expiry_goes_on_the_list_and_an_expired_token_is_listed_as_expired():
    tokens = [{"uid": "OLD", "type": "RFID", "valid": 1, "expiry_date": "2020-01-01T00:00:00.000Z"},
              {"uid": "NEW", "type": "RFID", "valid": 1, "expiry_date": "2099-01-01T00:00:00.000Z"}]
    payload_16 = send_local_list("1.6", {"updateType": "Full", "listVersion": 1}, state(tokens))
    assert payload_16["localAuthorizationList"] == [
        {"idTag": "NEW", "idTagInfo": {"status": "Accepted", "expiryDate": "2099-01-01T00:00:00.000Z"}},
        {"idTag": "OLD", "idTagInfo": {"status": "Expired", "expiryDate": "2020-01-01T00:00:00.000Z"}},
    ]
    payload_201 = send_local_list("2.0.1", {"updateType": "Full", "listVersion": 1}, state(tokens))
    assert [item["idTokenInfo"] for item in payload_201["localAuthorizationList"]] == [
        {"status": "Accepted", "cacheExpiryDateTime": "2099-01-01T00:00:00.000Z"},
        {"status": "Expired", "cacheExpiryDateTime": "2020-01-01T00:00:00.000Z"},
    ]
    for version, payload in (("1.6", payload_16), ("2.0.1", payload_201)):
        validate(MessageType.Call, "SendLocalList", payload, version)
        assert held_after(version, payload, None)[1]["OLD"]["status"] == "Expired"
