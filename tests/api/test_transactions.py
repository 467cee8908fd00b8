"""Transactions read endpoints: list newest first (optionally per station), one with its meter values."""
from __future__ import annotations

import pytest

from storage import Store


@pytest.fixture
def two_stations(api, add_transaction) -> None:
    for cs_id in ("cs1", "cs2"):
        api("post", f"/cs/{cs_id}", json={"securityProfile": 0})
    add_transaction("cs1", "1", status="ended", started_at="2026-01-01T00:00:00.000Z", meter_stop=1500, energy=1500,
                    stopped_at="2026-01-01T01:00:00.000Z", stop_reason="Local")  # fmt: skip
    add_transaction("cs2", "abc-2", started_at="2026-01-02T00:00:00.000Z")
    add_transaction("cs1", "3", started_at="2026-01-03T00:00:00.000Z")


def test_list_is_newest_first(api, two_stations) -> None:
    listed = api("get", "/transactions").get_json()
    assert [(t["csId"], t["transactionId"]) for t in listed] == [("cs1", "3"), ("cs2", "abc-2"), ("cs1", "1")]


def test_list_filters_by_station_and_pages(api, two_stations) -> None:
    assert [t["transactionId"] for t in api("get", "/transactions?csId=cs1").get_json()] == ["3", "1"]
    assert [t["transactionId"] for t in api("get", "/transactions?offset=1&limit=1").get_json()] == ["abc-2"]
    assert api("get", "/transactions?csId=none").get_json() == []


def test_fields_of_an_ended_transaction(api, two_stations) -> None:
    ended = api("get", "/transactions/1").get_json()
    assert {key: ended[key] for key in ("transactionId", "csId", "evseId", "connectorId", "idToken", "meterStart",
                                        "meterStop", "energy", "stopReason", "status", "stoppedAt")} == {
        "transactionId": "1", "csId": "cs1", "evseId": 1, "connectorId": 1, "idToken": "TAG1", "meterStart": 0,
        "meterStop": 1500, "energy": 1500, "stopReason": "Local", "status": "ended",
        "stoppedAt": "2026-01-01T01:00:00.000Z",
    }  # fmt: skip
    assert ended["meterValues"] == []


def test_one_transaction_has_its_meter_values(api, two_stations, store: Store) -> None:
    samples = [
        {"cs_id": "cs1", "transaction_id": "3", "evse_id": 1, "connector_id": 1, "timestamp": f"2026-01-03T00:0{i}:00Z",
         "value": str(100 * i), "value_number": 100.0 * i, "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
        for i in range(3)
    ]  # fmt: skip
    store.write(lambda db: db["meter_values"].insert_all(samples))
    values = api("get", "/transactions/3").get_json()["meterValues"]
    assert [(v["timestamp"], v["value"], v["measurand"], v["unit"]) for v in values] == [
        (s["timestamp"], s["value"], s["measurand"], "Wh") for s in samples
    ]


def test_unknown_transaction_is_404(api, two_stations) -> None:
    response = api("get", "/transactions/999")
    assert response.status_code == 404
    assert response.get_json()["status"] == "Not Found"
    assert api("get", "/transactions/3?csId=cs2").status_code == 404


def test_a_shared_id_picks_the_station_asked_for(api, two_stations, add_transaction) -> None:
    add_transaction("cs2", "1", started_at="2026-02-01T00:00:00.000Z")
    assert api("get", "/transactions/1").get_json()["csId"] == "cs2"
    assert api("get", "/transactions/1?csId=cs1").get_json()["csId"] == "cs1"


@pytest.mark.parametrize("query", ["limit=0", "offset=-1", "limit=500", "csId=" + "x" * 49])
def test_list_refuses_bad_queries(api, query) -> None:
    assert api("get", f"/transactions?{query}").status_code == 400
