"""OCTT 2.0.1 cases E_21, F_01–F_04 (remote stop and start) and G_03–G_17 (ChangeAvailability) in which the CSMS
sends the call, queued through the management API, with the transactions and status notifications that follow.

OCTT's step lists are not public: each scenario is the case's flow as its name and Part 2 describe it (for
E_21: the RequestStopTransaction stop of Edition 4; TxStopPoint EVConnected, so the transaction ends when the
cable is unplugged).
"""
from __future__ import annotations

from typing import Any

from ocpp201_calls_support import Case, run_case, server  # noqa: F401
from ocpp201_support import Transaction, add_token, id_token


def remote_start_answer(transaction_id: str | None = None):
    """The station's RequestStartTransaction answer: Accepted, with its transactionId if one is running."""
    return {"RequestStartTransaction": {"status": "Accepted", **({"transactionId": transaction_id} if transaction_id else {})}}


def info(transaction_id: str, **fields: Any) -> dict[str, Any]:
    return {"transactionInfo": {"transactionId": transaction_id, **fields}}


def test_TC_E_21_request_stop_transaction(server):
    add_token(server, "RFID-E21")

    async def scenario(case: Case):
        tx = Transaction("TX-E21")
        await case.status("Occupied")
        await case.send("TransactionEvent", tx.event("Started", "CablePluggedIn", **info("TX-E21", chargingState="EVConnected")))
        await case.send("TransactionEvent", tx.event("Updated", "Authorized", idToken=id_token("RFID-E21"),
                                                     **info("TX-E21", chargingState="Charging")))
        command_id = await case.queue("remote-stop", {"transactionId": "TX-E21"})
        received = await case.next_call()
        command = await case.finished(command_id)
        deauthorized = await case.send("TransactionEvent", tx.event("Updated", "RemoteStop", **info("TX-E21", chargingState="EVConnected")))
        await case.status("Available")
        ended = await case.send("TransactionEvent", tx.event("Ended", "EVCommunicationLost",
                                                             **info("TX-E21", chargingState="Idle", stoppedReason="Remote")))
        return received, command, deauthorized, ended, await case.transaction("TX-E21")

    received, command, deauthorized, ended, transaction = run_case(server, scenario, {"RequestStopTransaction": {"status": "Accepted"}})
    assert received == ("RequestStopTransaction", {"transactionId": "TX-E21"})
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert deauthorized == {} and ended == {}
    assert transaction["status"] == "ended" and transaction["stopReason"] == "Remote" and transaction["idToken"] == "RFID-E21"


def test_TC_F_01_remote_start_cable_plugged_in_first(server):
    add_token(server, "RFID-F01")

    async def scenario(case: Case):
        tx = Transaction("TX-F01")
        await case.status("Occupied")
        await case.send("TransactionEvent", tx.event("Started", "CablePluggedIn", **info("TX-F01", chargingState="EVConnected")))
        command_id = await case.queue("remote-start", {"idToken": "RFID-F01", "idTokenType": "ISO14443", "evseId": 1})
        action, payload = await case.next_call()
        command = await case.finished(command_id)
        started = await case.send("TransactionEvent", tx.event("Updated", "RemoteStart", idToken=payload["idToken"],
                                                               **info("TX-F01", chargingState="Charging", remoteStartId=payload["remoteStartId"])))
        return (action, payload), command, started, await case.transaction("TX-F01")

    (action, payload), command, started, transaction = run_case(server, scenario, remote_start_answer("TX-F01"))
    assert action == "RequestStartTransaction"
    assert payload == {"idToken": {"idToken": "RFID-F01", "type": "ISO14443"}, "evseId": 1, "remoteStartId": payload["remoteStartId"]}
    assert isinstance(payload["remoteStartId"], int) and payload["remoteStartId"] > 0
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted", "transactionId": "TX-F01"}
    assert started["idTokenInfo"]["status"] == "Accepted"
    assert transaction["status"] == "active" and transaction["idToken"] == "RFID-F01"


def test_TC_F_02_remote_start_first_authorize_remote_start_true(server):
    async def scenario(case: Case):
        command_id = await case.queue("remote-start", {"idToken": "CENTRAL-F02", "evseId": 1})
        action, payload = await case.next_call()
        command = await case.finished(command_id)
        # AuthorizeRemoteStart true: the station authorizes the CSMS's own Central token first.
        authorized = await case.send("Authorize", {"idToken": payload["idToken"]})
        stranger = await case.send("Authorize", {"idToken": {"idToken": "CENTRAL-OTHER", "type": "Central"}})
        tx = Transaction("TX-F02")
        started = await case.send("TransactionEvent", tx.event("Started", "RemoteStart", idToken=payload["idToken"],
                                                               **info("TX-F02", remoteStartId=payload["remoteStartId"])))
        await case.status("Occupied")
        await case.send("TransactionEvent", tx.event("Updated", "CablePluggedIn", **info("TX-F02", chargingState="Charging")))
        return (action, payload), command, authorized, stranger, started, await case.transaction("TX-F02")

    (action, payload), command, authorized, stranger, started, transaction = run_case(server, scenario, remote_start_answer())
    assert action == "RequestStartTransaction"
    assert payload["idToken"] == {"idToken": "CENTRAL-F02", "type": "Central"} and payload["evseId"] == 1
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert authorized["idTokenInfo"]["status"] == "Accepted"
    assert stranger["idTokenInfo"]["status"] == "Invalid"  # a Central token the CSMS never issued
    assert started["idTokenInfo"]["status"] == "Accepted"
    assert transaction["status"] == "active" and transaction["idToken"] == "CENTRAL-F02"


def test_TC_F_03_remote_start_first_authorize_remote_start_false(server):
    async def scenario(case: Case):
        command_id = await case.queue("remote-start", {"idToken": "CENTRAL-F03"})
        action, payload = await case.next_call()
        command = await case.finished(command_id)
        tx = Transaction("TX-F03")
        started = await case.send("TransactionEvent", tx.event("Started", "RemoteStart", idToken=payload["idToken"],
                                                               **info("TX-F03", remoteStartId=payload["remoteStartId"])))
        await case.status("Occupied")
        await case.send("TransactionEvent", tx.event("Updated", "CablePluggedIn", **info("TX-F03", chargingState="Charging")))
        return (action, payload), command, started, await case.transaction("TX-F03")

    (action, payload), command, started, transaction = run_case(server, scenario, remote_start_answer())
    assert (action, set(payload)) == ("RequestStartTransaction", {"idToken", "remoteStartId"})
    assert payload["idToken"] == {"idToken": "CENTRAL-F03", "type": "Central"}
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert started["idTokenInfo"]["status"] == "Accepted"
    assert transaction["status"] == "active" and transaction["evseId"] == 1


def test_TC_F_04_remote_start_cable_connection_timeout(server):
    async def scenario(case: Case):
        command_id = await case.queue("remote-start", {"idToken": "CENTRAL-F04", "evseId": 1})
        action, payload = await case.next_call()
        command = await case.finished(command_id)
        tx = Transaction("TX-F04")
        started = await case.send("TransactionEvent", tx.event("Started", "RemoteStart", idToken=payload["idToken"],
                                                               **info("TX-F04", remoteStartId=payload["remoteStartId"])))
        # No cable within EVConnectionTimeOut: the station deauthorizes and ends the transaction.
        ended = await case.send("TransactionEvent", tx.event("Ended", "EVConnectTimeout", **info("TX-F04", stoppedReason="Timeout")))
        return action, command, started, ended, await case.transaction("TX-F04")

    action, command, started, ended, transaction = run_case(server, scenario, remote_start_answer())
    assert action == "RequestStartTransaction"
    assert command["status"] == "completed" and command["response"] == {"status": "Accepted"}
    assert started["idTokenInfo"]["status"] == "Accepted" and ended == {}
    assert transaction["status"] == "ended" and transaction["stopReason"] == "Timeout"


# -- ChangeAvailability ----------------------------------------------------------------------------------------
TARGETS = {"evse": ({"evseId": 1}, {"evse": {"id": 1}}), "station": ({}, {}),
           "connector": ({"evseId": 1, "connectorId": 1}, {"evse": {"id": 1, "connectorId": 1}})}


def availability_case(server, target: str, operational_status: str, with_transaction: bool = False) -> None:
    """ChangeAvailability of the station, EVSE 1 or its connector 1; checks the call, answer and final status."""
    body, wire = TARGETS[target]
    station_status = "Scheduled" if with_transaction else "Accepted"
    final_status = "Available" if operational_status == "Operative" else "Unavailable"
    uid = f"RFID-G-{target}-{with_transaction}"
    if with_transaction:
        add_token(server, uid)

    async def scenario(case: Case):
        tx = Transaction(f"TX-{uid}")
        if operational_status == "Operative":
            await case.status("Unavailable")  # the precondition: inoperative
        if with_transaction:
            await case.status("Occupied")
            await case.send("TransactionEvent", tx.event("Started", "Authorized", idToken=id_token(uid),
                                                         **info(tx.transaction_id, chargingState="Charging")))
        command_id = await case.queue("change-availability", {"operationalStatus": operational_status, **body})
        received = await case.next_call()
        command = await case.finished(command_id)
        if with_transaction:  # Scheduled: the change happens once the transaction is over
            await case.send("TransactionEvent", tx.event("Ended", "EVCommunicationLost", **info(tx.transaction_id, stoppedReason="EVDisconnected")))
        await case.status(final_status)
        return received, command, await case.connector_status()

    received, command, connector = run_case(server, scenario, {"ChangeAvailability": {"status": station_status}})
    assert received == ("ChangeAvailability", {"operationalStatus": operational_status, **wire})
    assert command["status"] == "completed" and command["response"] == {"status": station_status}
    assert connector == final_status


def test_TC_G_03_change_availability_evse_to_inoperative(server):
    availability_case(server, "evse", "Inoperative")


def test_TC_G_04_change_availability_evse_to_operative(server):
    availability_case(server, "evse", "Operative")


def test_TC_G_11_change_availability_evse_with_transaction(server):
    availability_case(server, "evse", "Inoperative", with_transaction=True)


def test_TC_G_05_change_availability_station_to_inoperative(server):
    availability_case(server, "station", "Inoperative")


def test_TC_G_06_change_availability_station_to_operative(server):
    availability_case(server, "station", "Operative")


def test_TC_G_14_change_availability_station_with_transaction(server):
    availability_case(server, "station", "Inoperative", with_transaction=True)


def test_TC_G_07_change_availability_connector_to_inoperative(server):
    availability_case(server, "connector", "Inoperative")


def test_TC_G_08_change_availability_connector_to_operative(server):
    availability_case(server, "connector", "Operative")


def test_TC_G_17_change_availability_connector_with_transaction(server):
    availability_case(server, "connector", "Inoperative", with_transaction=True)
