"""GET /cs/{csId}/variables and /events: what 2.0.1 stations reported, paged, 404 for unknown stations."""
from __future__ import annotations

import pytest

from handlers.v201.reports import report_rows
from storage import device_model, security_events, station_messages

NOW = "2026-01-01T10:00:00Z"


@pytest.fixture
def station(store):
    store.write(lambda db: db["stations"].insert({"id": "CS201", "security_profile": 0}))
    return "CS201"


def report_item(component: dict, variable: str, value: str) -> dict:
    return {"component": component, "variable": {"name": variable}, "variableAttribute": [{"value": value}]}


def test_variables_list_the_reported_device_model(client, store, station):
    data = [
        report_item({"name": "EVSE", "evse": {"id": 1}}, "Power", "22000"),
        report_item({"name": "OCPPCommCtrlr"}, "HeartbeatInterval", "300"),
    ]
    device_model.upsert_variables(store, report_rows(station, 4, data))
    answer = client.get(f"/api/v0/cs/{station}/variables")
    assert answer.status_code == 200
    first, second = answer.get_json()
    assert first == {
        "component": "EVSE", "componentInstance": None, "evseId": 1, "connectorId": None,
        "variable": "Power", "variableInstance": None, "attributeType": "Actual", "value": "22000",
        "mutability": "ReadWrite", "persistent": False, "constant": False, "characteristics": None,
        "requestId": 4, "updatedAt": first["updatedAt"],
    }
    assert (second["component"], second["evseId"]) == ("OCPPCommCtrlr", None)
    assert [v["variable"] for v in client.get(f"/api/v0/cs/{station}/variables?offset=1&limit=1").get_json()] == [
        "HeartbeatInterval"
    ]


def test_events_list_security_events_and_notifications_newest_first(client, store, station):
    security_events.add_security_event(store, station, "TamperDetectionActivated", NOW, "lid open")
    station_messages.add_station_message(store, station, "LogStatusNotification", {"status": "Uploaded", "requestId": 2}, 2)
    answer = client.get(f"/api/v0/cs/{station}/events")
    assert answer.status_code == 200
    notification, security = answer.get_json()
    assert (notification["kind"], notification["type"], notification["requestId"]) == ("notification", "LogStatusNotification", 2)
    assert notification["body"] == {"status": "Uploaded", "requestId": 2}
    assert (security["kind"], security["type"], security["techInfo"], security["body"]) == (
        "security", "TamperDetectionActivated", "lid open", None
    )


@pytest.mark.parametrize("path", ["variables", "events"])
def test_unknown_station_is_404(client, path):
    answer = client.get(f"/api/v0/cs/NOPE/{path}")
    assert answer.status_code == 404
    assert answer.get_json()["status"] == "Not Found"


@pytest.mark.parametrize("query", ["offset=-1", "limit=0", "limit=101", "limit=x"])
@pytest.mark.parametrize("path", ["variables", "events"])
def test_bad_paging_is_400(client, station, path, query):
    answer = client.get(f"/api/v0/cs/{station}/{path}?{query}")
    assert answer.status_code == 400
    assert answer.get_json()["status"] == "Bad Request"


@pytest.mark.parametrize("path", ["variables", "events"])
def test_empty_lists_are_bare_arrays(client, station, path):
    assert client.get(f"/api/v0/cs/{station}/{path}").get_json() == []
