"""OCTT 2.0.1 cases E (transactions: start and stop points, suspend, seqNo) and G_20, station-driven.

OCTT's exact message lists are not public: each scenario is the case's flow as its name and Part 2 describe it.
"""
from __future__ import annotations

from typing import Any

import pytest

from ocpp201_support import NOW, Transaction, add_token, energy, id_token, new_station, run, server, status  # noqa: F401

T1, T2 = "2026-01-01T10:20:00Z", "2026-01-01T10:40:00Z"
SIGNED = {"signedMeterData": "T0NNRnx7fQ==", "signingMethod": "ECDSA-secp256r1-SHA256", "encodingMethod": "OCMF",
          "publicKey": "MFkwEwYHKoZIzj0CAQ=="}


async def play(station, tx: Transaction, uid: str, steps: list[tuple]) -> list[dict[str, Any]]:
    """Send ("status", s) / ("authorize",) / (eventType, trigger, fields) steps; return every answer."""
    answers = []
    for step in steps:
        if step[0] == "status":
            answers.append(await station.send("StatusNotification", status(step[1])))
        elif step[0] == "authorize":
            answers.append(await station.send("Authorize", {"idToken": id_token(uid)}))
        else:
            event_type, trigger, fields = step
            fields = dict(fields)
            if fields.pop("token", False):
                fields["idToken"] = id_token(uid)
            answers.append(await station.send("TransactionEvent", tx.event(event_type, trigger, **fields)))
    return answers


def charging(state: str) -> dict:
    return {"info": {"chargingState": state}}


START_CASES = {
    "TC_E_03_local_start_cable_first": [
        ("status", "Occupied"),
        ("Started", "CablePluggedIn", charging("EVConnected")),
        ("authorize",),
        ("Updated", "Authorized", {"token": True}),
        ("Updated", "ChargingStateChanged", charging("Charging")),
    ],
    "TC_E_04_local_start_authorization_first": [
        ("authorize",),
        ("Started", "Authorized", {"token": True}),
        ("status", "Occupied"),
        ("Updated", "CablePluggedIn", charging("EVConnected")),
        ("Updated", "ChargingStateChanged", charging("Charging")),
    ],
    "TC_E_38_local_start_ev_not_ready": [
        ("status", "Occupied"),
        ("Started", "CablePluggedIn", charging("EVConnected")),
        ("authorize",),
        ("Updated", "Authorized", {"token": True, **charging("SuspendedEV")}),
    ],
    "TC_E_09_tx_start_point_ev_connected": [
        ("status", "Occupied"),
        ("Started", "CablePluggedIn", charging("EVConnected")),
    ],
    "TC_E_10_tx_start_point_authorized": [("authorize",), ("Started", "Authorized", {"token": True})],
    "TC_E_11_tx_start_point_data_signed": [
        ("authorize",),
        ("status", "Occupied"),
        ("Started", "SignedDataReceived", {"token": True, "meterValue": [energy(100, NOW, "Transaction.Begin", signedMeterValue=SIGNED)]}),
    ],
    "TC_E_01_tx_start_point_power_path_closed": [
        ("authorize",),
        ("status", "Occupied"),
        ("Started", "ChargingStateChanged", {"token": True, **charging("Charging")}),
    ],
    "TC_E_02_tx_start_point_energy_transfer": [
        ("authorize",),
        ("status", "Occupied"),
        ("Started", "ChargingStateChanged", {"token": True, "meterValue": [energy(100, NOW, "Transaction.Begin")], **charging("Charging")}),
    ],
    "TC_E_12_tx_start_point_parking_bay_occupied": [("Started", "EVDetected", charging("Idle"))],
}


@pytest.mark.parametrize("case", list(START_CASES))
def test_TC_E_start_points(server, case):
    cs_id = new_station(server)
    uid = f"{cs_id}-TAG"
    add_token(server, uid)
    tx = Transaction(f"{cs_id}-TX")
    answers = run(server, cs_id, lambda station: play(station, tx, uid, START_CASES[case]))
    for step, answer in zip(START_CASES[case], answers):
        token_sent = step[0] == "authorize" or (len(step) == 3 and step[2].get("token"))
        assert answer == ({"idTokenInfo": {"status": "Accepted"}} if token_sent else {})
    stored = server.api("GET", f"/transactions/{tx.transaction_id}", params={"csId": cs_id}).json()
    assert (stored["status"], stored["evseId"]) == ("active", 1)
    assert stored["idToken"] == (uid if any(len(s) == 3 and s[2].get("token") for s in START_CASES[case]) else None)


# (case, triggerReason of Ended, stoppedReason): the stop point each case configures, as we read its name.
STOP_CASES = [
    ("TC_E_14_tx_stop_point_ev_connected", "EVCommunicationLost", "EVDisconnected"),
    ("TC_E_20_tx_stop_point_authorized", "StopAuthorized", "Local"),
    ("TC_E_15_tx_stop_point_authorized_other_token", "StopAuthorized", "Local"),
    ("TC_E_16_tx_stop_point_deauthorized", "Deauthorized", "DeAuthorized"),
    ("TC_E_17_tx_stop_point_power_path_closed", "ChargingStateChanged", "StoppedByEV"),
    ("TC_E_39_tx_stop_point_energy_transfer", "ChargingStateChanged", "StoppedByEV"),
    ("TC_E_07_tx_stop_point_parking_bay_occupied", "EVDeparted", "EVDisconnected"),
    ("TC_E_08_tx_stop_point_data_signed", "SignedDataReceived", "Local"),
    ("TC_E_22_tx_stop_point_energy_limit", "EnergyLimitReached", "EnergyLimitReached"),
    ("TC_E_19_tx_stop_point_abnormal_condition", "AbnormalCondition", "PowerLoss"),
]


@pytest.mark.parametrize("case, trigger, stopped_reason", STOP_CASES, ids=[case[0] for case in STOP_CASES])
def test_TC_E_stop_points(server, case, trigger, stopped_reason):
    cs_id = new_station(server)
    uid, other = f"{cs_id}-TAG", f"{cs_id}-OTHER"
    add_token(server, uid)
    add_token(server, other)
    tx = Transaction(f"{cs_id}-TX")
    stop_fields: dict[str, Any] = {"info": {"stoppedReason": stopped_reason, "chargingState": "Idle"},
                                   "meterValue": [energy(7100, T2, "Transaction.End")], "timestamp": T2}
    if trigger == "StopAuthorized":
        stop_fields["idToken"] = id_token(other if "other_token" in case else uid)
    steps = [
        ("Started", "Authorized", {"token": True, "meterValue": [energy(100, NOW, "Transaction.Begin")], **charging("Charging")}),
        ("Updated", "MeterValuePeriodic", {"meterValue": [energy(3600, T1)]}),
        ("status", "Available"),
        ("Ended", trigger, stop_fields),
    ]
    answers = run(server, cs_id, lambda station: play(station, tx, uid, steps))
    assert answers[-1]["totalCost"] == 3.85  # 7 kWh × 0.55
    assert answers[-1].get("idTokenInfo", {"status": "Accepted"})["status"] == "Accepted"
    stored = server.api("GET", f"/transactions/{tx.transaction_id}", params={"csId": cs_id}).json()
    assert (stored["status"], stored["stopReason"], stored["energy"]) == ("ended", stopped_reason, 7000)
    assert (stored["meterStart"], stored["meterStop"], stored["stoppedAt"]) == (100, 7100, T2)


def test_TC_E_26_suspend(server):
    cs_id = new_station(server)
    uid = f"{cs_id}-TAG"
    add_token(server, uid)
    tx = Transaction(f"{cs_id}-TX")
    steps = [("Started", "Authorized", {"token": True, **charging("Charging")})] + [
        ("Updated", "ChargingStateChanged", charging(state)) for state in ("SuspendedEVSE", "SuspendedEV", "Charging")
    ]
    answers = run(server, cs_id, lambda station: play(station, tx, uid, steps))
    assert answers[1:] == [{}, {}, {}]
    assert server.api("GET", f"/transactions/{tx.transaction_id}", params={"csId": cs_id}).json()["status"] == "active"


def test_TC_E_53_seq_no_zero_at_each_new_transaction(server):
    cs_id = new_station(server)
    uid = f"{cs_id}-TAG"
    add_token(server, uid)
    transactions = [Transaction(f"{cs_id}-TX{number}") for number in (1, 2)]

    async def scenario(station):
        answers = []
        for tx in transactions:
            answers += await play(station, tx, uid, [("Started", "Authorized", {"token": True}), ("Ended", "StopAuthorized", {"token": True})])
        return answers

    assert [answer["idTokenInfo"]["status"] for answer in run(server, cs_id, scenario)] == ["Accepted"] * 4
    listed = server.api("GET", "/transactions", params={"csId": cs_id}).json()
    assert sorted((t["transactionId"], t["status"]) for t in listed) == [(f"{cs_id}-TX1", "ended"), (f"{cs_id}-TX2", "ended")]


def test_TC_G_20_connector_lock_failure(server):
    cs_id = new_station(server)
    tx = Transaction(f"{cs_id}-TX")
    lock_problem = {
        "eventId": 1, "timestamp": NOW, "trigger": "Delta", "actualValue": "true", "eventNotificationType": "HardWiredNotification",
        "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": 1, "connectorId": 1}}, "variable": {"name": "Problem"},
    }

    async def scenario(station):
        answers = await play(station, tx, "", [("status", "Occupied"), ("Started", "CablePluggedIn", charging("EVConnected"))])
        answers.append(await station.send("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [lock_problem]}))
        answers.append(await station.send("StatusNotification", status("Faulted")))
        return answers

    assert run(server, cs_id, scenario) == [{}, {}, {}, {}]
    detail = server.api("GET", f"/cs/{cs_id}").json()
    assert [c["status"] for c in detail["connectors"]] == ["Faulted"]
    events = server.api("GET", f"/cs/{cs_id}/events").json()
    assert events[0]["type"] == "NotifyEvent" and events[0]["body"]["eventData"][0]["variable"]["name"] == "Problem"
