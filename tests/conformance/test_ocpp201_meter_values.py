"""OCTT 2.0.1 cases J (clock-aligned and sampled meter values) and P (DataTransfer), station-driven."""
from __future__ import annotations

import pytest

from ocpp201_support import NOW, Transaction, energy, new_station, run, server  # noqa: F401

T1, T2 = "2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z"
SIGNED = {"signedMeterData": "T0NNRnx7fQ==", "signingMethod": "ECDSA-secp256r1-SHA256", "encodingMethod": "OCMF",
          "publicKey": "MFkwEwYHKoZIzj0CAQ=="}


def meter_rows(server, cs_id: str, transaction_id: str) -> list[dict]:
    return server.api("GET", f"/transactions/{transaction_id}", params={"csId": cs_id}).json()["meterValues"]


@pytest.mark.parametrize(
    "case, signed", [("TC_J_01_clock_aligned_idle", False), ("TC_J_04_clock_aligned_signed", True)], ids=["TC_J_01", "TC_J_04"]
)
def test_TC_J_01_J_04_clock_aligned_meter_values_while_idle(server, case, signed):
    cs_id = new_station(server)
    extra = {"signedMeterValue": SIGNED} if signed else {}
    payload = {"evseId": 0, "meterValue": [energy(1234, NOW, "Sample.Clock", **extra)]}
    assert run(server, cs_id, lambda station: station.send("MeterValues", payload)) == {}


def transaction_with(server, cs_id: str, events: list[tuple]) -> tuple[list[dict], Transaction]:
    tx = Transaction(f"{cs_id}-TX")

    async def scenario(station):
        return [await station.send("TransactionEvent", tx.event(kind, trigger, **fields)) for kind, trigger, fields in events]

    return run(server, cs_id, scenario), tx


CASES = {
    "TC_J_02_clock_aligned_ongoing": [
        ("Started", "CablePluggedIn", {}),
        ("Updated", "MeterValueClock", {"meterValue": [energy(500, T1, "Sample.Clock")]}),
    ],
    "TC_J_03_clock_aligned_in_ended": [
        ("Started", "CablePluggedIn", {}),
        ("Ended", "EVCommunicationLost", {"info": {"stoppedReason": "EVDisconnected"},
                                          "meterValue": [energy(500, T1, "Sample.Clock"), energy(900, T2, "Transaction.End")]}),
    ],
    "TC_J_07_sampled_in_started_evse_known": [
        ("Started", "CablePluggedIn", {"meterValue": [energy(100, NOW, "Transaction.Begin")]}),
    ],
    "TC_J_08_transaction_begin_evse_unknown": [
        ("Started", "EVDetected", {"evse": None}),
        ("Updated", "CablePluggedIn", {"evse": {"id": 1, "connectorId": 1}, "meterValue": [energy(100, T1, "Transaction.Begin")]}),
    ],
    "TC_J_09_sampled_in_updated": [
        ("Started", "CablePluggedIn", {}),
        ("Updated", "MeterValuePeriodic", {"meterValue": [energy(300, T1)]}),
    ],
    "TC_J_10_sampled_in_ended": [
        ("Started", "CablePluggedIn", {"meterValue": [energy(100, NOW, "Transaction.Begin")]}),
        ("Ended", "EVCommunicationLost", {"info": {"stoppedReason": "EVDisconnected"}, "meterValue": [energy(900, T2, "Transaction.End")]}),
    ],
    "TC_J_11_signed_sampled": [
        ("Started", "CablePluggedIn", {"meterValue": [energy(100, NOW, "Transaction.Begin", signedMeterValue=SIGNED)]}),
        ("Ended", "EVCommunicationLost", {"info": {"stoppedReason": "EVDisconnected"},
                                          "meterValue": [energy(900, T2, "Transaction.End", signedMeterValue=SIGNED)]}),
    ],
}


@pytest.mark.parametrize("case", list(CASES))
def test_TC_J_meter_values_in_transactions(server, case):
    cs_id = new_station(server)
    answers, tx = transaction_with(server, cs_id, CASES[case])
    sent = [sample for _, _, fields in CASES[case] for value in fields.get("meterValue", []) for sample in value["sampledValue"]]
    stored = meter_rows(server, cs_id, tx.transaction_id)
    assert len(stored) == len(sent)
    if CASES[case][-1][0] == "Ended":
        assert answers[-1]["totalCost"] == round((sent[-1]["value"] - sent[0]["value"]) / 1000 * 0.55, 2)
    else:
        assert all(answer == {} for answer in answers)


PNC = "org.openchargealliance.iso15118pnc"


@pytest.mark.parametrize(
    "payload, expected",
    [
        ({"vendorId": "com.example.unknown", "messageId": "Test", "data": "x"}, "UnknownVendorId"),
        ({"vendorId": PNC, "messageId": "NoSuchMessage"}, "UnknownMessageId"),
        ({"vendorId": PNC, "messageId": "Authorize", "data": "{not json"}, "Rejected"),
    ],
    ids=["UnknownVendorId", "UnknownMessageId", "Rejected"],
)
def test_TC_P_02_data_transfer_not_supported(server, payload, expected):
    cs_id = new_station(server)
    assert run(server, cs_id, lambda station: station.send("DataTransfer", payload)) == {"status": expected}


def test_TC_P_03_receive_custom_data(server):
    cs_id = new_station(server)
    custom = {"vendorId": "com.example", "note": "extra"}

    async def scenario(station):
        return [
            await station.send("Heartbeat", {"customData": custom}),
            await station.send("StatusNotification", {"timestamp": NOW, "connectorStatus": "Available", "evseId": 1,
                                                      "connectorId": 1, "customData": custom}),
            await station.send("DataTransfer", {"vendorId": "com.example", "customData": custom}),
        ]

    heartbeat, status, transfer = run(server, cs_id, scenario)
    assert heartbeat["currentTime"] and status == {} and transfer == {"status": "UnknownVendorId"}
