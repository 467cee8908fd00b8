"""The dashboard's forms go through the API's code paths: what they queue and store, and refusals shown inline."""
from __future__ import annotations

import csv
import io
import re

import pytest

from storage import Store, commands, stations, tokens
from storage.meter_values import insert_meter_values
from tests.conftest import password_hash

TOKEN = {"uid": "DEADBEEF", "countryCode": "GB", "partyId": "TWK", "type": "RFID", "contractId": "GB-TWK-012345678-V",
         "issuer": "Example", "cacheMode": "ALWAYS", "valid": "on"}  # fmt: skip


def error_of(page) -> str:
    found = re.search(r'<p class="error"[^>]*>([^<]*)</p>', page.text)
    return found.group(1) if found else ""


def test_registering_shows_a_strong_password_once_and_stores_only_its_hash(web, store):
    page = web("/", cs_id="cs001", securityProfile="0")
    password = re.search(r'id="station-password">([^<]+)<', page.text).group(1)
    assert len(password) >= 32
    station = stations.get_station(store, "cs001")
    assert station["password_hash"] == password_hash(password)
    assert password not in web("/stations/cs001").text and password not in web("/").text


def test_registering_a_bad_id_is_refused_beside_the_form(web, store):
    page = web("/", cs_id="a:b", securityProfile="0")
    assert page.status_code == 400
    assert error_of(page) == "path.csId: 1-48 characters without &#39;:&#39;, &#39;/&#39; or control characters"


@pytest.mark.parametrize(
    "form, operation, params",
    [
        ({"form": "trigger", "trigger": "StatusNotification"}, "trigger", {"trigger": "StatusNotification"}),
        ({"form": "reconfigure", "settings": "HeartbeatInterval=60\nMeterValueSampleInterval = 10"}, "reconfigure",
         {"HeartbeatInterval": "60", "MeterValueSampleInterval": "10"}),
        ({"form": "reset", "type": "Hard"}, "call", {"action": "Reset", "payload": {"type": "Hard"}}),
        ({"form": "unlockConnector", "evseId": "1"}, "call", {"action": "UnlockConnector", "payload": {"connectorId": 1}}),
        ({"form": "changeAvailability", "operationalStatus": "Inoperative", "evseId": "1"}, "call",
         {"action": "ChangeAvailability", "payload": {"connectorId": 1, "type": "Inoperative"}}),
        ({"form": "remoteStart", "idToken": "TAG1", "evseId": "1"}, "call",
         {"action": "RemoteStartTransaction", "payload": {"idTag": "TAG1", "connectorId": 1}}),
        ({"form": "remoteStop", "transactionId": "42"}, "call",
         {"action": "RemoteStopTransaction", "payload": {"transactionId": 42}}),
        ({"form": "call", "action": "ClearCache", "payload": "{}"}, "call", {"action": "ClearCache", "payload": {}}),
        ({"form": "profile", "profile": '{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",'
          ' "chargingProfileKind": "Absolute", "chargingSchedule": {"id": 1, "chargingRateUnit": "A",'
          ' "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}}'}, "setChargingProfile", None),
    ],
)  # fmt: skip
def test_each_station_form_queues_the_command_the_api_would(web, booted, store: Store, form, operation, params):
    booted("cs001")
    answer = web("/stations/cs001", **form)
    assert answer.status_code == 303, error_of(answer)
    [command] = commands.list_commands(store, "cs001", 0, 5)
    assert command["operation"] == operation
    if params is not None:
        assert command["params"] == params
    assert "queued" in web("/stations/cs001").text


@pytest.mark.parametrize(
    "form, error",
    [
        ({"form": "trigger", "trigger": "Nope"}, "body.trigger: must be one of: BootNotification"),
        ({"form": "call", "action": "Reset", "payload": '{"type": "Bad"}'}, "body.payload: type: &#39;Bad&#39; is not one of"),
        ({"form": "call", "action": "Reset", "payload": "{oops"}, "body.payload: not JSON"),
        ({"form": "call", "action": "Heartbeat", "payload": "{}"}, "body.action: &#39;Heartbeat&#39; is not a CSMS-initiated"),
        ({"form": "reset", "type": "Soft", "evseId": "one"}, "body.evseId: must be a whole number"),
        ({"form": "remoteStop", "transactionId": "abc"}, "transactionId &#39;abc&#39; is not an OCPP 1.6 transaction id"),
        ({"form": "reconfigure", "settings": "no equals sign"}, "body: &#39;no equals sign&#39; is not name=value"),
        ({"form": "profile", "profile": "{}"}, "body.id: missing data for required field."),
    ],
)  # fmt: skip
def test_a_refused_form_shows_the_apis_reason_beside_it_and_queues_nothing(web, booted, store, form, error):
    booted("cs001")
    page = web("/stations/cs001", **form)
    assert page.status_code == 400
    assert error_of(page).startswith(error)
    assert f'id="form-{form["form"]}"' in page.text
    assert commands.list_commands(store, "cs001", 0, 5) == []


def test_a_call_to_a_station_that_never_connected_says_why(web, store):
    stations.save_station_auth(store, "cs-new", {"security_profile": 0})
    page = web("/stations/cs-new", form="call", action="Reset", payload='{"type": "Soft"}')
    assert page.status_code == 400
    assert "is not known yet" in error_of(page)


def test_deleting_a_station_needs_the_box_ticked(web, booted, store):
    booted("cs001")
    assert web("/stations/cs001", form="delete").status_code == 400
    assert web("/stations/cs001", form="delete", confirm="on").status_code == 303
    assert stations.get_station(store, "cs001") is None


def test_tokens_are_created_edited_and_expired_through_the_token_schema(web, store):
    assert web("/tokens", form="save", **TOKEN).status_code == 303
    assert tokens.get_token(store, "DEADBEEF")["contract_id"] == "GBTWK012345678V"
    edit = web("/tokens?edit=DEADBEEF")
    assert 'value="Example"' in edit.text
    assert web("/tokens", form="save", **{**TOKEN, "issuer": "Other"}).status_code == 303
    assert tokens.get_token(store, "DEADBEEF")["issuer"] == "Other"
    assert web("/tokens", form="expire", uid="DEADBEEF").status_code == 303
    assert tokens.get_token(store, "DEADBEEF")["expiry_date"] <= commands.utc_now_iso()
    refused = web("/tokens", form="save", **{**TOKEN, "countryCode": "GBR"})
    assert refused.status_code == 400 and error_of(refused) == "body.countryCode: length must be 2."


def test_transactions_export_as_csv_with_formulas_defused(web, booted, add_transaction):
    booted("cs001")
    add_transaction("cs001", "T-1", id_token="=HYPERLINK(\"x\")", energy=1500.0)
    add_transaction("cs002", "T-2")
    page = web("/transactions.csv?cs=cs001")
    assert page.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(page.text)))
    assert [(row["transaction_id"], row["id_token"], row["energy"]) for row in rows] == [
        ("T-1", "'=HYPERLINK(\"x\")", "1500.0")
    ]
    assert "T-2" in web("/transactions").text and "T-2" not in web("/transactions?cs=cs001").text


def test_the_chart_series_has_energy_and_power_over_time(web, booted, add_transaction, store):
    booted("cs001")
    add_transaction("cs001", "T-1")
    readings = [
        ("2026-01-01T00:00:00Z", "Energy.Active.Import.Register", 1.0, "kWh"),
        ("2026-01-01T00:00:00Z", "Power.Active.Import", 7.2, "kW"),
        ("2026-01-01T00:01:00Z", None, 1120.0, "Wh"),  # 1.6's default measurand is the energy register
        ("2026-01-01T00:01:00Z", "Current.Import", 16.0, "A"),
    ]
    rows = [{"timestamp": at, "measurand": measurand, "value": str(value), "value_number": value, "unit": unit}
            for at, measurand, value, unit in readings]  # fmt: skip
    store.write(lambda db: insert_meter_values(db, "cs001", rows, 1, 1, "T-1"))
    series = web("/transaction/series.json?cs=cs001&id=T-1").json
    assert series == {"times": ["2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"], "energy": [1000.0, 1120.0],
                      "power": [7200.0, None]}  # fmt: skip
    assert 'id="chart"' in web("/transaction?cs=cs001&id=T-1").text
    export = list(csv.DictReader(io.StringIO(web("/transaction/meter-values.csv?cs=cs001&id=T-1").text)))
    assert len(export) == 4


def test_pages_for_unknown_things_answer_404(web):
    assert web("/stations/nobody").status_code == 404
    assert web("/transaction?cs=a&id=b").status_code == 404
