"""Tokens: upsert with eMAID normalisation, lookup, list; and the check digit algorithm itself."""
from __future__ import annotations

import pytest

from schemas.emaid import EmaidError, check_digit, normalise_emaid

TOKEN = {
    "countryCode": "GB",
    "partyId": "TWK",
    "type": "RFID",
    "uid": "DEADBEEF",
    "contractId": "GB-TWK-012345678-V",
    "issuer": "Thoughtworks",
    "valid": True,
    "cacheMode": "ALWAYS",
}


def token(**changes) -> dict:
    return {**TOKEN, **changes}


def test_set_token_answers_201_and_lookup_returns_it_normalised(api) -> None:
    response = api("post", "/token", json=token(visualNumber="V1", groupId="G1", languageCode="en"))
    assert (response.status_code, response.get_data()) == (201, b"")
    found = api("get", "/token/DEADBEEF")
    assert found.status_code == 200
    body = found.get_json()
    last_updated = body.pop("lastUpdated")
    assert last_updated.endswith("Z")
    assert body == token(contractId="GBTWK012345678V", visualNumber="V1", groupId="G1", languageCode="en")


def test_last_updated_is_ignored_and_set_to_now(api) -> None:
    api("post", "/token", json=token(lastUpdated="2001-01-01T00:00:00Z"))
    assert api("get", "/token/DEADBEEF").get_json()["lastUpdated"] > "2026"


def test_set_token_upserts_by_uid(api) -> None:
    api("post", "/token", json=token())
    api("post", "/token", json=token(valid=False, cacheMode="NEVER"))
    listed = api("get", "/token").get_json()
    assert [(t["uid"], t["valid"], t["cacheMode"]) for t in listed] == [("DEADBEEF", False, "NEVER")]


def test_expiry_date_is_kept_in_utc(api) -> None:
    assert api("post", "/token", json=token(expiryDate="2030-01-01T02:00:00+02:00")).status_code == 201
    assert api("get", f"/token/{token()['uid']}").get_json()["expiryDate"] == "2030-01-01T00:00:00.000Z"


def test_lookup_of_unknown_token_is_404(api) -> None:
    response = api("get", "/token/nope")
    assert response.status_code == 404
    assert response.get_json() == {"status": "Not Found", "error": "no token 'nope'"}


def test_list_is_ordered_by_uid_and_paged(api) -> None:
    for uid in ("c", "a", "b"):
        api("post", "/token", json=token(uid=uid))
    assert [t["uid"] for t in api("get", "/token").get_json()] == ["a", "b", "c"]
    assert [t["uid"] for t in api("get", "/token?offset=1&limit=1").get_json()] == ["b"]


def test_list_defaults_to_20(api) -> None:
    for number in range(25):
        api("post", "/token", json=token(uid=f"u{number:02}"))
    assert len(api("get", "/token").get_json()) == 20
    assert len(api("get", "/token?limit=100").get_json()) == 25


@pytest.mark.parametrize("query", ["offset=-1", "limit=0", "limit=101", "limit=ten", "offset="])
def test_list_refuses_bad_paging(api, query) -> None:
    response = api("get", f"/token?{query}")
    assert response.status_code == 400
    assert response.get_json()["status"] == "Bad Request"


@pytest.mark.parametrize("field", ["countryCode", "partyId", "type", "uid", "contractId", "issuer", "valid", "cacheMode"])
def test_required_fields(api, field) -> None:
    body = token()
    del body[field]
    response = api("post", "/token", json=body)
    assert response.status_code == 400
    assert f"body.{field}" in response.get_json()["error"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"countryCode": "GBR"}, "countryCode"),
        ({"partyId": "TW"}, "partyId"),
        ({"type": "CARD"}, "type"),
        ({"uid": "u" * 37}, "uid"),
        ({"uid": ""}, "uid"),
        ({"groupId": "g" * 37}, "groupId"),
        ({"languageCode": "eng"}, "languageCode"),
        ({"cacheMode": "SOMETIMES"}, "cacheMode"),
        ({"valid": "true"}, "valid"),
        ({"contractId": 12}, "contractId"),
        ({"expiryDate": "2030-01-01T00:00:00"}, "expiryDate"),
        ({"expiryDate": "tomorrow"}, "expiryDate"),
    ],
)
def test_bad_fields(api, changes, field) -> None:
    response = api("post", "/token", json=token(**changes))
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"body.{field}")


@pytest.mark.parametrize(
    "contract_id, error",
    [
        ("GB-TWK-012345678-X", "emaid check digit X expected value V"),
        ("GBTWK012345678A", "emaid check digit A expected value V"),
        ("not an emaid", "emaid not an emaid is invalid"),
        ("xx GBTWK012345678V", "emaid xx GBTWK012345678V is invalid"),
        ("GBTWK012345678VV", "emaid GBTWK012345678VV is invalid"),
    ],
)
def test_bad_contract_ids(api, contract_id, error) -> None:
    response = api("post", "/token", json=token(contractId=contract_id))
    assert response.status_code == 400
    assert response.get_json()["error"] == f"body.contractId: {error}"


@pytest.mark.parametrize(
    "given, stored",
    [
        ("GB-TWK-012345678-V", "GBTWK012345678V"),
        ("gb-twk-012345678-v", "GBTWK012345678V"),
        ("GBTWK012345678", "GBTWK012345678V"),
        ("GBTWK00000ABC1", "GBTWK00000ABC1R"),
        ("GBTWKABC123456", "GBTWKABC123456Y"),
    ],
)
def test_contract_ids_are_normalised(api, given, stored) -> None:
    api("post", "/token", json=token(contractId=given))
    assert api("get", "/token/DEADBEEF").get_json()["contractId"] == stored


def test_check_digit_vectors() -> None:
    assert check_digit("GBTWK012345678") == "V"
    assert check_digit("GBTWK00000ABC1") == "R"
    assert check_digit("GBTWKABC123456") == "Y"
    assert normalise_emaid("GB-TWK-012345678-V") == "GBTWK012345678V"
    with pytest.raises(EmaidError, match="expected value V"):
        normalise_emaid("GBTWK012345678W")


def test_every_single_character_change_changes_the_check_digit() -> None:
    # The algorithm's promise: any one wrong character is detected.
    base = "GBTWK012345678"
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for position in range(len(base)):
        for char in alphabet:
            if char != base[position]:
                changed = base[:position] + char + base[position + 1 :]
                assert check_digit(changed) != check_digit(base), changed
