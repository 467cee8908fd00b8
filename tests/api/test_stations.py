"""Register (upsert), auth lookup, detail, list and delete of charge stations."""
from __future__ import annotations

import base64
import hashlib
import logging

import pytest

from storage import Store, connectors, station_runtime, stations

HASH = base64.b64encode(hashlib.sha256(b"secret-password").digest()).decode()


def test_register_answers_201_with_no_body(api) -> None:
    response = api("post", "/cs/cs001", json={"securityProfile": 1, "base64SHA256Password": HASH})
    assert response.status_code == 201
    assert response.get_data() == b""


def test_auth_lookup_returns_what_was_registered(api) -> None:
    api("post", "/cs/cs001", json={"securityProfile": 1, "base64SHA256Password": HASH, "invalidUsernameAllowed": True})
    response = api("get", "/cs/cs001/auth")
    assert response.status_code == 200
    assert response.get_json() == {"securityProfile": 1, "base64SHA256Password": HASH, "invalidUsernameAllowed": True}


def test_auth_lookup_omits_an_empty_password_and_defaults_invalid_username_to_false(api, station) -> None:
    assert api("get", f"/cs/{station}/auth").get_json() == {"securityProfile": 0, "invalidUsernameAllowed": False}


def test_auth_lookup_of_unknown_station_is_404(api) -> None:
    response = api("get", "/cs/nope/auth")
    assert response.status_code == 404
    assert response.get_json()["status"] == "Not Found"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "securityProfile"),
        ({"securityProfile": 3}, "securityProfile"),
        ({"securityProfile": -1}, "securityProfile"),
        ({"securityProfile": "1"}, "securityProfile"),
        ({"securityProfile": 1.5}, "securityProfile"),
        ({"securityProfile": True}, "securityProfile"),
        ({"securityProfile": None}, "securityProfile"),
        ({"securityProfile": 0, "base64SHA256Password": "not base64!"}, "base64SHA256Password"),
        ({"securityProfile": 0, "base64SHA256Password": base64.b64encode(b"x" * 31).decode()}, "base64SHA256Password"),
        ({"securityProfile": 0, "base64SHA256Password": HASH.replace("+", "-").replace("/", "_") + "A"}, "base64SHA256Password"),
        ({"securityProfile": 0, "base64SHA256Password": 5}, "base64SHA256Password"),
        ({"securityProfile": 0, "invalidUsernameAllowed": "yes"}, "invalidUsernameAllowed"),
        ({"securityProfile": 0, "invalidUsernameAllowed": 1}, "invalidUsernameAllowed"),
    ],
)
def test_register_refuses_bad_bodies_with_400_naming_the_field(api, body, field) -> None:
    response = api("post", "/cs/cs001", json=body)
    assert response.status_code == 400
    assert response.get_json()["status"] == "Bad Request"
    assert f"body.{field}" in response.get_json()["error"]


@pytest.mark.parametrize("cs_id", ["a:b", "x" * 49])
def test_register_refuses_bad_station_ids(api, cs_id) -> None:
    response = api("post", f"/cs/{cs_id}", json={"securityProfile": 0})
    assert response.status_code == 400
    assert "csId" in response.get_json()["error"]


def test_register_accepts_a_48_character_id(api) -> None:
    assert api("post", f"/cs/{'x' * 48}", json={"securityProfile": 0}).status_code == 201


def test_register_body_must_be_an_object(api) -> None:
    assert api("post", "/cs/cs001", json=[1, 2]).status_code == 400


def test_reregistering_replaces_only_the_auth_fields(api, station, store: Store) -> None:
    station_runtime.mark_connected(store, station, "1.6", "10.0.0.1")
    station_runtime.save_boot(store, station, {"vendor": "ACME", "model": "M1"}, "Accepted")
    api("post", f"/cs/{station}", json={"securityProfile": 1, "base64SHA256Password": HASH})
    detail = api("get", f"/cs/{station}").get_json()
    assert (detail["securityProfile"], detail["vendor"], detail["ocppVersion"], detail["bootStatus"]) == (
        1, "ACME", "1.6", "Accepted",
    )  # fmt: skip
    assert api("get", f"/cs/{station}/auth").get_json()["base64SHA256Password"] == HASH


def test_reregistering_without_a_password_removes_it(api) -> None:
    api("post", "/cs/cs001", json={"securityProfile": 1, "base64SHA256Password": HASH})
    api("post", "/cs/cs001", json={"securityProfile": 1})
    assert "base64SHA256Password" not in api("get", "/cs/cs001/auth").get_json()


def test_lowering_the_security_profile_is_logged_as_a_warning(api, caplog) -> None:
    api("post", "/cs/cs001", json={"securityProfile": 2})
    with caplog.at_level(logging.WARNING, logger="api.stations"):
        api("post", "/cs/cs001", json={"securityProfile": 0})
    assert "security profile lowered from 2 to 0" in caplog.text


def test_a_new_station_has_never_booted(api, station) -> None:
    detail = api("get", f"/cs/{station}").get_json()
    assert detail == {
        "id": station,
        "securityProfile": 0,
        "invalidUsernameAllowed": False,
        "connected": False,
        "ocppVersion": None,
        "lastSeen": None,
        "bootStatus": None,
        "vendor": None,
        "model": None,
        "serialNumber": None,
        "firmwareVersion": None,
        "connectors": [],
    }


def test_detail_lists_connectors_from_the_connectors_table(api, station, store: Store) -> None:
    connectors.save_status(store, station, 2, 1, "Charging", "NoError")
    connectors.save_status(store, station, 1, 1, "Available", "NoError")
    listed = api("get", f"/cs/{station}").get_json()["connectors"]
    assert [(c["evseId"], c["connectorId"], c["status"], c["errorCode"]) for c in listed] == [
        (1, 1, "Available", "NoError"),
        (2, 1, "Charging", "NoError"),
    ]
    assert all(c["updatedAt"] for c in listed)


def test_detail_of_unknown_station_is_404(api) -> None:
    assert api("get", "/cs/nope").status_code == 404


def test_list_is_ordered_by_id_and_paged(api) -> None:
    for cs_id in ("cs3", "cs1", "cs2"):
        api("post", f"/cs/{cs_id}", json={"securityProfile": 0})
    assert [s["id"] for s in api("get", "/cs").get_json()] == ["cs1", "cs2", "cs3"]
    assert [s["id"] for s in api("get", "/cs?offset=1&limit=1").get_json()] == ["cs2"]
    assert api("get", "/cs?offset=5").get_json() == []


@pytest.mark.parametrize(
    "query", ["offset=-1", "limit=0", "limit=101", "limit=abc", "offset=1.5", "offset=99999999999999999999"]
)
def test_list_refuses_bad_paging_with_400(api, query) -> None:
    response = api("get", f"/cs?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("query.")


def test_delete_answers_204_then_404(api, station, store: Store) -> None:
    connectors.save_status(store, station, 1, 1, "Available")
    api("post", f"/cs/{station}/trigger", json={"trigger": "BootNotification"})
    response = api("delete", f"/cs/{station}")
    assert (response.status_code, response.get_data()) == (204, b"")
    assert api("get", f"/cs/{station}").status_code == 404
    assert api("delete", f"/cs/{station}").status_code == 404
    leftovers = store.read(
        lambda db: [db.execute(f"SELECT count(*) FROM {t} WHERE cs_id = ?", [station]).fetchone()[0]
                    for t in ("connectors", "commands")]
    )  # fmt: skip
    assert leftovers == [0, 0]


def test_delete_goes_a_chunk_per_write_and_leaves_no_dependent_row(api, store: Store, monkeypatch) -> None:
    monkeypatch.setattr(stations, "DELETE_CHUNK_ROWS", 3)
    for cs_id in ("gone", "kept"):
        api("post", f"/cs/{cs_id}", json={"securityProfile": 0})
        store.write(lambda db: db["device_model"].insert_all(
            {"cs_id": cs_id, "component": "C", "variable": f"V{n}", "attribute_type": "Actual"} for n in range(5)
        ))  # fmt: skip
        store.write(lambda db: db["transactions"].insert({"cs_id": cs_id, "transaction_id": "1", "status": "ended"}))
        connectors.save_status(store, cs_id, 1, 1, "Available")
    writes = []
    write = store.write
    monkeypatch.setattr(store, "write", lambda job: writes.append(job) or write(job))
    assert api("delete", "/cs/gone").status_code == 204
    assert len(writes) == 3  # 5 device model rows, a connector and its status history row: 3 + 3 + 1 and the station
    rows = {
        cs_id: store.read(lambda db: {table: db.execute(f"SELECT count(*) FROM {table} WHERE cs_id = ?", [cs_id]).fetchone()[0]
                                      for table in (*stations.DEPENDENT_TABLES, "transactions")})
        for cs_id in ("gone", "kept")
    }  # fmt: skip
    assert rows["gone"] == dict.fromkeys(stations.DEPENDENT_TABLES, 0) | {"transactions": 1}  # history stays
    assert rows["kept"] == rows["gone"] | {"connectors": 1, "status_history": 1, "device_model": 5}
    assert api("get", "/cs/kept").status_code == 200


def test_a_deleted_station_can_be_registered_again(api, station) -> None:
    api("delete", f"/cs/{station}")
    assert api("post", f"/cs/{station}", json={"securityProfile": 1}).status_code == 201
    assert api("get", f"/cs/{station}/auth").get_json()["securityProfile"] == 1
