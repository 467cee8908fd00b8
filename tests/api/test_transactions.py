"""Transactions read endpoints: list newest first (optionally per station), one with its first meter values, pages."""
from __future__ import annotations

from typing import Any

import pytest

from schemas.transactions import MeterValueSchema
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


def add_meter_values(store: Store, cs_id: str, transaction_id: str, count: int, **fields: Any) -> list[dict[str, Any]]:
    """`count` sampled values of the transaction, value n numbered in arrival order."""
    rows = [
        {"cs_id": cs_id, "transaction_id": transaction_id, "evse_id": 1, "connector_id": 1, "value": str(n),
         "timestamp": "2026-01-03T00:00:00Z", "measurand": "Energy.Active.Import.Register", "unit": "Wh", **fields}
        for n in range(count)
    ]  # fmt: skip
    store.write(lambda db: db["meter_values"].insert_all(rows))
    return rows


def values(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [sample["value"] for sample in response.get_json()]


def test_the_detail_holds_the_first_1000_meter_values_and_the_pages_all_of_them(api, two_stations, store) -> None:
    add_meter_values(store, "cs1", "3", 2500)
    detail = api("get", "/transactions/3").get_json()["meterValues"]
    assert [sample["value"] for sample in detail] == [str(n) for n in range(1000)]
    assert api("get", "/transactions/3/meterValues").get_json() == detail
    assert values(api("get", "/transactions/3/meterValues?offset=1000")) == [str(n) for n in range(1000, 2000)]
    assert values(api("get", "/transactions/3/meterValues?offset=2000&limit=1000")) == [str(n) for n in range(2000, 2500)]
    assert values(api("get", "/transactions/3/meterValues?offset=1990&limit=7")) == [str(n) for n in range(1990, 1997)]
    assert values(api("get", "/transactions/3/meterValues?offset=2500")) == []
    assert values(api("get", "/transactions/1/meterValues")) == []


def test_meter_value_pages_hold_what_the_schema_dumps(api, two_stations, store) -> None:
    rows = add_meter_values(store, "cs1", "3", 2, value='12.5 "kWh" \\ Wärme ⚡', phase=None, context="Sample.Clock",
                            location="Outlet", format="SignedData", signed_data="c2lnbmVk", evse_id=None)  # fmt: skip
    expected = MeterValueSchema(many=True).dump(rows)
    assert api("get", "/transactions/3/meterValues").get_json() == expected
    assert api("get", "/transactions/3").get_json()["meterValues"] == expected


def test_meter_values_of_a_shared_id_come_from_the_station_asked_for(api, two_stations, store, add_transaction) -> None:
    add_transaction("cs2", "3", started_at="2026-02-01T00:00:00.000Z")
    add_meter_values(store, "cs1", "3", 2)
    add_meter_values(store, "cs2", "3", 3)
    assert len(api("get", "/transactions/3/meterValues").get_json()) == 3  # the newest transaction with the id
    assert len(api("get", "/transactions/3/meterValues?csId=cs1").get_json()) == 2


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1", "limit=abc", "offset=1.5", "csId=" + "x" * 49])
def test_meter_value_pages_refuse_bad_queries(api, two_stations, query) -> None:
    response = api("get", f"/transactions/3/meterValues?{query}")
    assert response.status_code == 400
    assert response.get_json()["status"] == "Bad Request"
    assert response.get_json()["error"].startswith("query.")


def test_meter_values_of_an_unknown_transaction_are_404(api, two_stations) -> None:
    response = api("get", "/transactions/999/meterValues")
    assert response.status_code == 404
    assert response.get_json() == {"status": "Not Found", "error": "no transaction '999'"}
    assert api("get", "/transactions/3/meterValues?csId=cs2").status_code == 404
