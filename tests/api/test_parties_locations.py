"""OCPI party registration and location registration."""
from __future__ import annotations

import copy

import pytest

from storage import Store, locations, parties

LOCATION = {
    "country_code": "GB",
    "party_id": "TWK",
    "name": "Depot",
    "address": "1 High Street",
    "city": "London",
    "postal_code": "N1 1AA",
    "country": "GBR",
    "coordinates": {"latitude": "51.50000", "longitude": "-0.10000"},
    "parking_type": "ON_STREET",
    "evses": [
        {
            "uid": "GBTWKEcs001",
            "evse_id": "GB*TWK*E1",
            "connectors": [
                {"id": "1", "standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
                 "max_voltage": 400, "max_amperage": 32}
            ],
        }
    ],
}  # fmt: skip


def test_register_party_stores_token_url_and_status(api, store: Store) -> None:
    body = {"token": "abc", "url": "http://localhost:9999/ocpi/versions", "status": "REGISTERED"}
    response = api("post", "/register", json=body)
    assert (response.status_code, response.get_data()) == (201, b"")
    party = parties.get_party_by_token(store, "abc")
    assert (party["url"], party["status"]) == (body["url"], "REGISTERED")


def test_register_party_defaults_to_pending_without_url(api, store: Store) -> None:
    assert api("post", "/register", json={"token": "abc"}).status_code == 201
    party = parties.get_party_by_token(store, "abc")
    assert (party["url"], party["status"]) == (None, "PENDING")


def test_register_party_twice_with_one_token_is_400(api) -> None:
    api("post", "/register", json={"token": "abc"})
    response = api("post", "/register", json={"token": "abc", "status": "REGISTERED"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "body.token: already registered"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "token"),
        ({"token": ""}, "token"),
        ({"token": "t" * 65}, "token"),
        ({"token": 5}, "token"),
        ({"token": "abc", "url": "not a url"}, "url"),
        ({"token": "abc", "url": "ftp://example.com/versions"}, "url"),
        ({"token": "abc", "status": "DONE"}, "status"),
    ],
)
def test_register_party_refuses_bad_bodies(api, body, field) -> None:
    response = api("post", "/register", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"body.{field}")


def test_location_is_stored_with_its_owner_and_unknown_evse_status(api, store: Store) -> None:
    response = api("post", "/location/loc1", json=LOCATION)
    assert (response.status_code, response.get_data()) == (201, b"")
    stored = locations.get_location(store, "loc1")
    assert (stored["country_code"], stored["party_id"], stored["name"]) == ("GB", "TWK", "Depot")
    assert stored["evses"][0]["status"] == "UNKNOWN"
    assert stored["evses"][0]["connectors"] == LOCATION["evses"][0]["connectors"]
    row = store.read(lambda db: db["locations"].get("loc1"))
    assert (row["country_code"], row["party_id"]) == ("GB", "TWK")


def test_location_optional_fields_may_be_absent_or_null(api, store: Store) -> None:
    body = {key: value for key, value in LOCATION.items() if key not in ("name", "postal_code", "parking_type", "evses")}
    assert api("post", "/location/loc2", json=body).status_code == 201
    assert api("post", "/location/loc3", json={**body, "name": None, "parking_type": None, "evses": None}).status_code == 201
    assert locations.get_location(store, "loc2")["evses"] == []


def test_location_register_replaces(api, store: Store) -> None:
    api("post", "/location/loc1", json=LOCATION)
    api("post", "/location/loc1", json={**LOCATION, "city": "Leeds"})
    assert locations.get_location(store, "loc1")["city"] == "Leeds"


def _without(path: str) -> dict:
    body = copy.deepcopy(LOCATION)
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    del node[last]
    return body


@pytest.mark.parametrize(
    "path",
    ["country_code", "party_id", "address", "city", "country", "coordinates", "coordinates.latitude",
     "evses.0.uid", "evses.0.connectors", "evses.0.connectors.0.standard", "evses.0.connectors.0.max_amperage"],
)  # fmt: skip
def test_location_required_fields(api, path) -> None:
    response = api("post", "/location/loc1", json=_without(path))
    assert response.status_code == 400
    assert f"body.{path}" in response.get_json()["error"]


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"parking_type": "ROOFTOP"}, "body.parking_type"),
        ({"country_code": "GBR"}, "body.country_code"),
        ({"coordinates": "51,0"}, "body.coordinates"),
        ({"evses": [{"uid": "E1", "connectors": [{**LOCATION["evses"][0]["connectors"][0], "standard": "USB"}]}]}, "standard"),
        ({"evses": [{"uid": "E1", "connectors": [{**LOCATION["evses"][0]["connectors"][0], "format": "PLUG"}]}]}, "format"),
        ({"evses": [{"uid": "E1", "connectors": [{**LOCATION["evses"][0]["connectors"][0], "power_type": "AC"}]}]}, "power_type"),
        ({"evses": [{"uid": "E1", "connectors": [{**LOCATION["evses"][0]["connectors"][0], "max_voltage": "400"}]}]}, "max_voltage"),
    ],
)
def test_location_refuses_bad_values(api, changes, fragment) -> None:
    response = api("post", "/location/loc1", json={**LOCATION, **changes})
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]


def test_location_id_longer_than_36_is_400(api) -> None:
    assert api("post", f"/location/{'l' * 37}", json=LOCATION).status_code == 400
