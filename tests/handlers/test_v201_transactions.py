"""OCPP 2.0.1 TransactionEvent: transactions keyed by the station's id, seqNo bookkeeping, energy and totalCost."""
from __future__ import annotations

import dataclasses
import json

import pytest

from config import Config
from storage import transactions_v201
from v201_support import CS_ID, add_station, caller, energy, rows

T0, T1, T2 = "2026-01-01T10:00:00Z", "2026-01-01T10:30:00Z", "2026-01-01T11:00:00Z"


@pytest.fixture
def call(store):
    add_station(store)
    store.write(lambda db: db["tokens"].insert({"uid": "TAG1", "valid": 1, "cache_mode": "ALWAYS"}))
    return caller(store)


def event(event_type: str, seq_no: int, timestamp: str = T0, tx: str = "TX1", trigger: str = "Authorized", **extra) -> dict:
    info = {"transactionId": tx} | extra.pop("info", {})
    return {
        "eventType": event_type,
        "timestamp": timestamp,
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": info,
        **extra,
    }


def transaction(store, tx: str = "TX1") -> dict:
    found = transactions_v201.get_transaction(store, CS_ID, tx)
    assert found is not None
    return found


def test_full_transaction_is_stored_and_priced(call, store):
    started = call(
        "TransactionEvent",
        event(
            "Started", 0, T0,
            evse={"id": 1, "connectorId": 1},
            idToken={"idToken": "TAG1", "type": "ISO14443"},
            meterValue=[energy(1000, T0, context="Transaction.Begin")],
            info={"chargingState": "Charging", "remoteStartId": 42},
        ),
    )
    assert started == {"idTokenInfo": {"status": "Accepted"}}
    assert call("TransactionEvent", event("Updated", 1, T1, trigger="MeterValuePeriodic", meterValue=[energy(6000, T1)])) == {}
    ended = call(
        "TransactionEvent",
        event("Ended", 2, T2, trigger="EVCommunicationLost", meterValue=[energy(11000, T2)],
              info={"stoppedReason": "EVDisconnected", "chargingState": "Idle"}),
    )
    assert ended == {"totalCost": 5.5}  # 10 kWh × 0.55
    row = transaction(store)
    assert (row["status"], row["evse_id"], row["connector_id"], row["id_token"]) == ("ended", 1, 1, "TAG1")
    assert (row["meter_start"], row["meter_stop"], row["energy"]) == (1000, 11000, 10000)
    assert (row["started_at"], row["stopped_at"], row["stop_reason"]) == (T0, T2, "EVDisconnected")
    assert (row["charging_state"], row["remote_start_id"], row["auth_status"]) == ("Idle", 42, "Accepted")
    assert (row["last_seq_no"], row["seq_gaps"], row["seq_duplicates"]) == (2, None, 0)
    events = transactions_v201.list_events(store, CS_ID, "TX1")
    assert [(e["event_type"], e["seq_no"], e["trigger_reason"]) for e in events] == [
        ("Started", 0, "Authorized"), ("Updated", 1, "MeterValuePeriodic"), ("Ended", 2, "EVCommunicationLost")
    ]
    assert events[2]["stopped_reason"] == "EVDisconnected" and events[0]["remote_start_id"] == 42
    samples = rows(store, "meter_values", "transaction_id = ?", ["TX1"])
    assert [(s["value_number"], s["evse_id"], s["connector_id"]) for s in samples] == [(1000, 1, 1), (6000, 1, 1), (11000, 1, 1)]
    assert samples[0]["context"] == "Transaction.Begin"


def test_units_and_multipliers_are_applied(call, store):
    call("TransactionEvent", event("Started", 0, T0, meterValue=[energy(1.5, T0, unit="kWh")]))
    ended = call("TransactionEvent", event("Ended", 1, T1, meterValue=[energy(35, T1, unit="Wh", multiplier=2)]))
    assert transaction(store)["energy"] == 2000  # 3500 Wh − 1500 Wh
    assert ended["totalCost"] == 1.1


def test_configured_price_is_used(store):
    add_station(store)
    call = caller(store, dataclasses.replace(Config(db_path=store.path), price_per_kwh=0.3))
    call("TransactionEvent", event("Started", 0, T0, meterValue=[energy(0, T0)]))
    assert call("TransactionEvent", event("Ended", 1, T1, meterValue=[energy(2000, T1)]))["totalCost"] == 0.6


def test_ended_without_energy_samples_has_no_total_cost(call, store):
    call("TransactionEvent", event("Started", 0))
    assert call("TransactionEvent", event("Ended", 1, T1)) == {}
    assert transaction(store)["energy"] is None


def test_other_measurands_and_phases_do_not_count_as_energy(call, store):
    power = {"value": 7000, "measurand": "Power.Active.Import"}
    phase = {"value": 99999, "measurand": "Energy.Active.Import.Register", "phase": "L1"}
    call("TransactionEvent", event("Started", 0, T0, meterValue=[{"timestamp": T0, "sampledValue": [power, phase, {"value": 100}]}]))
    ended = call("TransactionEvent", event("Ended", 1, T1, meterValue=[energy(1100, T1)]))
    assert transaction(store)["energy"] == 1000  # a bare value defaults to Energy.Active.Import.Register in Wh
    assert ended["totalCost"] == 0.55


def test_duplicate_seq_no_is_answered_but_stored_once(call, store):
    call("TransactionEvent", event("Started", 0, T0, meterValue=[energy(0, T0)]))
    ended = event("Ended", 1, T1, meterValue=[energy(1000, T1)])
    first, again = call("TransactionEvent", ended), call("TransactionEvent", ended)
    assert first == again == {"totalCost": 0.55}
    assert len(transactions_v201.list_events(store, CS_ID, "TX1")) == 2
    assert len(rows(store, "meter_values", "transaction_id = ?", ["TX1"])) == 2
    assert transaction(store)["seq_duplicates"] == 1


def test_seq_no_gaps_are_recorded_and_filled(call, store):
    call("TransactionEvent", event("Started", 0))
    call("TransactionEvent", event("Updated", 3, T1))
    assert json.loads(transaction(store)["seq_gaps"]) == [[1, 2]]
    call("TransactionEvent", event("Updated", 2, T1))
    assert json.loads(transaction(store)["seq_gaps"]) == [[1, 1]]
    call("TransactionEvent", event("Updated", 1, T1))
    row = transaction(store)
    assert (row["seq_gaps"], row["last_seq_no"]) == (None, 3)


def test_ended_first_after_offline_creates_the_transaction(call, store):
    answer = call(
        "TransactionEvent",
        event("Ended", 5, T2, offline=True, evse={"id": 2}, idToken={"idToken": "UNKNOWN", "type": "ISO14443"}),
    )
    assert answer == {"idTokenInfo": {"status": "Unknown"}}
    row = transaction(store)
    assert (row["status"], row["offline"], row["evse_id"], row["stop_reason"]) == ("ended", 1, 2, "Local")
    assert (row["started_at"], row["auth_status"]) == (T2, "Unknown")
    assert json.loads(row["seq_gaps"]) == [[0, 4]]
    # The earlier events arrive later: Started fixes the start time, an older chargingState does not win.
    call("TransactionEvent", event("Started", 0, T0, info={"chargingState": "Charging"}))
    row = transaction(store)
    assert (row["started_at"], row["status"], row["charging_state"]) == (T0, "ended", None)


def test_seq_no_zero_opens_each_new_transaction(call, store):
    for tx in ("TX-A", "TX-B"):
        call("TransactionEvent", event("Started", 0, tx=tx))
    assert {transaction(store, tx)["last_seq_no"] for tx in ("TX-A", "TX-B")} == {0}
    assert transaction(store, "TX-B")["seq_duplicates"] == 0


def test_id_token_info_only_when_id_token_sent(call, store):
    assert "idTokenInfo" not in call("TransactionEvent", event("Started", 0, trigger="CablePluggedIn"))
    authorized = call("TransactionEvent", event("Updated", 1, T1, idToken={"idToken": "TAG1", "type": "ISO14443"}))
    assert authorized == {"idTokenInfo": {"status": "Accepted"}}
    assert transaction(store)["id_token"] == "TAG1"


def test_stop_token_is_kept_apart_from_the_start_token(call, store):
    call("TransactionEvent", event("Started", 0, idToken={"idToken": "TAG1", "type": "ISO14443"}))
    call("TransactionEvent", event("Ended", 1, T1, trigger="StopAuthorized", idToken={"idToken": "MASTER", "type": "ISO14443"}))
    row = transaction(store)
    assert (row["id_token"], row["stop_id_token"], row["auth_status"]) == ("TAG1", "MASTER", "Accepted")


def test_signed_meter_values_are_accepted_and_kept(call, store):
    signed = {"signedMeterData": "QUJD", "signingMethod": "ECDSA", "encodingMethod": "OCMF", "publicKey": "S0VZ"}
    call("TransactionEvent", event("Started", 0, meterValue=[energy(10, T0, signedMeterValue=signed)]))
    sample = rows(store, "meter_values", "transaction_id = ?", ["TX1"])[0]
    assert json.loads(sample["signed_data"]) == signed and sample["value_number"] == 10


def test_same_transaction_id_on_two_stations_stays_apart(call, store):
    add_station(store, "OTHER")
    call("TransactionEvent", event("Started", 0))
    call("TransactionEvent", event("Ended", 0, T1), cs_id="OTHER")
    assert transaction(store)["status"] == "active"
    assert transactions_v201.get_transaction(store, "OTHER", "TX1")["status"] == "ended"
