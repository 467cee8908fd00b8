"""POST /cs/{csId}/send-local-list queues a list built when it goes out; GET /cs/{csId}/local-list reads what the
station holds."""
from __future__ import annotations

import pytest


@pytest.fixture
def stations(station_of, api):
    station_of("cs16", "1.6")
    station_of("cs201", "2.0.1")
    body = {"countryCode": "GB", "partyId": "TWK", "type": "RFID", "uid": "AAA111", "contractId": "GB-TWK-012345678-V",
            "issuer": "Example", "valid": True, "cacheMode": "ALWAYS"}
    assert api("post", "/token", json=body).status_code == 201
    return api


@pytest.mark.parametrize("cs_id", ["cs16", "cs201"])
def test_a_station_never_sent_a_list_holds_an_unknown_empty_one(stations, cs_id):
    response = stations("get", f"/cs/{cs_id}/local-list")
    assert response.status_code == 200
    assert response.json == {
        "version": None, "reportedVersion": None, "reportedAt": None, "inSync": None, "entries": [], "updatedAt": None,
    }  # fmt: skip


def test_unknown_station_has_no_local_list(stations):
    response = stations("get", "/cs/nobody/local-list")
    assert response.status_code == 404 and set(response.json) == {"status", "error"}


@pytest.mark.parametrize(
    "body, params",
    [
        ({"updateType": "Full"}, {"updateType": "Full"}),
        ({"updateType": "Full", "listVersion": 4, "tokens": ["AAA111"]}, {"updateType": "Full", "listVersion": 4, "tokens": ["AAA111"]}),
        ({"updateType": "Differential", "tokens": ["AAA111", "GONE"]}, {"updateType": "Differential", "tokens": ["AAA111", "GONE"]}),
    ],
)
def test_send_local_list_queues_a_list_built_when_it_goes_out(stations, body, params):
    response = stations("post", "/cs/cs201/send-local-list", json=body)
    assert response.status_code == 202, response.json
    command = response.json
    assert (command["operation"], command["params"], command["action"], command["request"]) == (
        "sendLocalList", params, None, None)


@pytest.mark.parametrize(
    "body, error",
    [
        ({}, "body.updateType: missing data for required field."),
        ({"updateType": "Partial"}, "body.updateType: must be one of: Full, Differential."),
        ({"updateType": "Full", "tokens": [1]}, "body.tokens.0: not a valid string."),
        ({"updateType": "Full", "tokens": ["AAA111", "nobody"]}, "nobody"),
        ({"updateType": "Full", "listVersion": 2**31}, "body.listVersion"),
    ],
)
def test_bad_local_lists_are_400(stations, body, error):
    response = stations("post", "/cs/cs16/send-local-list", json=body)
    assert response.status_code == 400 and error in response.json["error"]
