"""OCTT 1.6 cases where the CSMS only answers: boot, local charging sessions, authorization, offline
transactions and DataTransfer (TC_001 … TC_039, TC_064)."""
from __future__ import annotations

from ocpp16_support import (  # noqa: F401 (server: fixture)
    LATER, add_token, connectors, energy, new_station, run, send, server, start, status, stop, transaction,
)

EARLIER = "2025-12-31T08:00:00Z"
EARLIER_STOP = "2025-12-31T09:00:00Z"


def test_TC_001_cold_boot(server):
    cs_id = new_station(server)

    async def scenario(station):
        boot = await send(station, "BootNotification", {
            "chargePointVendor": "ACME", "chargePointModel": "Conformance-16", "chargePointSerialNumber": "SN-16",
            "firmwareVersion": "1.0.0",
        })
        answers = [await status(station, "Available", connector) for connector in (0, 1, 2)]
        return boot, answers, await send(station, "Heartbeat", {})

    boot, answers, heartbeat = run(server, cs_id, scenario, boot=False)
    assert boot["status"] == "Accepted" and boot["interval"] > 0 and boot["currentTime"]
    assert answers == [{}, {}, {}] and heartbeat["currentTime"]
    detail = server.api("GET", f"/cs/{cs_id}").json()
    assert (detail["bootStatus"], detail["ocppVersion"], detail["model"], detail["serialNumber"]) == (
        "Accepted", "1.6", "Conformance-16", "SN-16")
    assert connectors(server, cs_id) == {0: "Available", 1: "Available", 2: "Available"}


def _charging_session(server, cs_id, tag, identification_first):
    async def scenario(station):
        answers = {}
        if identification_first:
            answers["authorize"] = await send(station, "Authorize", {"idTag": tag})
            await status(station, "Preparing")
        else:
            await status(station, "Preparing")
            answers["authorize"] = await send(station, "Authorize", {"idTag": tag})
        answers["start"] = await start(station, tag)
        tx_id = answers["start"]["transactionId"]
        await status(station, "Charging")
        answers["meter"] = await send(station, "MeterValues", {
            "connectorId": 1, "transactionId": tx_id, "meterValue": [energy(3000)]})
        answers["stop"] = await stop(station, tx_id, idTag=tag, reason="Local")
        await status(station, "Finishing")
        await status(station, "Available")
        return answers

    return run(server, cs_id, scenario)


def test_TC_003_charging_plug_in_first(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    answers = _charging_session(server, cs_id, tag, identification_first=False)
    assert answers["authorize"]["idTagInfo"]["status"] == "Accepted"
    assert answers["start"]["idTagInfo"]["status"] == "Accepted" and answers["start"]["transactionId"] > 0
    assert answers["meter"] == {} and answers["stop"]["idTagInfo"]["status"] == "Accepted"
    tx = transaction(server, answers["start"]["transactionId"])
    assert (tx["status"], tx["idToken"], tx["meterStart"], tx["meterStop"], tx["energy"]) == ("ended", tag, 1000, 6000, 5000)
    assert len(tx["meterValues"]) == 1 and connectors(server, cs_id)[1] == "Available"


def test_TC_004_1_charging_identification_first(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    answers = _charging_session(server, cs_id, tag, identification_first=True)
    assert answers["authorize"]["idTagInfo"]["status"] == answers["start"]["idTagInfo"]["status"] == "Accepted"
    assert transaction(server, answers["start"]["transactionId"])["stopReason"] == "Local"


def test_TC_004_2_identification_first_connection_timeout(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        authorized = await send(station, "Authorize", {"idTag": tag})
        await status(station, "Preparing")
        await status(station, "Available")  # ConnectionTimeOut passed without a cable: no transaction
        return authorized

    assert run(server, cs_id, scenario)["idTagInfo"]["status"] == "Accepted"
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []
    assert connectors(server, cs_id)[1] == "Available"


def test_TC_005_1_ev_side_disconnected(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        await status(station, "Preparing")
        started = await start(station, tag)
        await status(station, "Charging")
        await status(station, "SuspendedEV")
        stopped = await stop(station, started["transactionId"], reason="EVDisconnected")
        await status(station, "Finishing")
        await status(station, "Available")
        return started, stopped

    started, stopped = run(server, cs_id, scenario)
    assert stopped == {}
    tx = transaction(server, started["transactionId"])
    assert (tx["status"], tx["stopReason"]) == ("ended", "EVDisconnected")


def test_TC_007_start_with_cached_id(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        await status(station, "Preparing")
        started = await start(station, tag)  # authorized from the station's cache: no Authorize first
        await status(station, "Charging")
        return started

    started = run(server, cs_id, scenario)
    assert started["idTagInfo"]["status"] == "Accepted"
    assert transaction(server, started["transactionId"])["status"] == "active"


def test_TC_023_1_authorize_invalid(server):
    cs_id = new_station(server)
    answer = run(server, cs_id, lambda station: send(station, "Authorize", {"idTag": f"{cs_id}-UNKNOWN"}))
    assert answer["idTagInfo"]["status"] == "Invalid"
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []


def test_TC_023_2_authorize_expired(server):
    cs_id = new_station(server)
    expired, later = f"{cs_id}-OLD", f"{cs_id}-NEW"
    add_token(server, expired, expiryDate="2020-01-01T00:00:00+01:00")
    add_token(server, later, expiryDate="2099-12-31T23:00:00Z")

    async def scenario(station):
        return [await send(station, "Authorize", {"idTag": tag}) for tag in (expired, later)]

    old, new = run(server, cs_id, scenario)
    assert old["idTagInfo"] == {"status": "Expired", "expiryDate": "2019-12-31T23:00:00.000Z"}
    assert new["idTagInfo"] == {"status": "Accepted", "expiryDate": "2099-12-31T23:00:00.000Z"}
    assert server.api("GET", f"/token/{expired}").json()["expiryDate"] == "2019-12-31T23:00:00.000Z"


def test_TC_023_3_authorize_blocked(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-BLOCKED"
    add_token(server, tag, valid=False)
    answer = run(server, cs_id, lambda station: send(station, "Authorize", {"idTag": tag}))
    assert answer["idTagInfo"]["status"] == "Blocked"


def test_TC_024_start_charging_lock_failure(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def scenario(station):
        authorized = await send(station, "Authorize", {"idTag": tag})
        await status(station, "Preparing")
        faulted = await status(station, "Faulted", error_code="ConnectorLockFailure")
        return authorized, faulted

    authorized, faulted = run(server, cs_id, scenario)
    assert authorized["idTagInfo"]["status"] == "Accepted" and faulted == {}
    connector = next(c for c in server.api("GET", f"/cs/{cs_id}").json()["connectors"] if c["evseId"] == 1)
    assert (connector["status"], connector["errorCode"]) == ("Faulted", "ConnectorLockFailure")
    assert server.api("GET", "/transactions", params={"csId": cs_id}).json() == []


def test_TC_032_1_power_failure_stops_the_transaction(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)

    async def before_power_failure(station):
        started = await start(station, tag)
        await status(station, "Charging")
        return started["transactionId"]

    tx_id = run(server, cs_id, before_power_failure)

    async def after_power_failure(station):  # boots again, then delivers the stop it queued before going down
        answers = [await status(station, "Available", connector) for connector in (0, 1)]
        answers.append(await stop(station, tx_id, idTag=tag, reason="PowerLoss", timestamp=LATER))
        return answers

    answers = run(server, cs_id, after_power_failure)
    assert answers[:2] == [{}, {}] and answers[2]["idTagInfo"]["status"] == "Accepted"
    tx = transaction(server, tx_id)
    assert (tx["status"], tx["stopReason"], tx["stoppedAt"][:16]) == ("ended", "PowerLoss", LATER[:16])


def test_TC_037_1_offline_start_transaction(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    run(server, cs_id, lambda station: status(station, "Available"))

    async def back_online(station):  # reconnects without a boot and delivers what happened offline
        await status(station, "Charging", timestamp=EARLIER)
        return await start(station, tag, timestamp=EARLIER)

    started = run(server, cs_id, back_online, boot=False)
    assert started["idTagInfo"]["status"] == "Accepted"
    tx = transaction(server, started["transactionId"])
    assert (tx["status"], tx["startedAt"][:16]) == ("active", EARLIER[:16])


def test_TC_037_3_offline_start_transaction_invalid_id(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-UNKNOWN"
    run(server, cs_id, lambda station: status(station, "Available"))

    async def back_online(station):
        await status(station, "Charging", timestamp=EARLIER)
        started = await start(station, tag, timestamp=EARLIER)
        # Not accepted: the station stops the transaction (StopTransactionOnInvalidId true).
        stopped = await stop(station, started["transactionId"], idTag=tag, reason="DeAuthorized")
        await status(station, "Finishing")
        return started, stopped

    started, stopped = run(server, cs_id, back_online, boot=False)
    assert started["idTagInfo"]["status"] == "Invalid" and started["transactionId"] > 0
    assert stopped["idTagInfo"]["status"] == "Invalid"
    tx = transaction(server, started["transactionId"])
    assert (tx["status"], tx["stopReason"]) == ("ended", "DeAuthorized")


def test_TC_039_offline_transaction(server):
    cs_id = new_station(server)
    tag = f"{cs_id}-TAG"
    add_token(server, tag)
    run(server, cs_id, lambda station: status(station, "Available"))

    async def back_online(station):
        started = await start(station, tag, timestamp=EARLIER)
        data = [energy(1000, EARLIER, "Transaction.Begin"), energy(4000, EARLIER_STOP, "Transaction.End")]
        stopped = await stop(station, started["transactionId"], meter_stop=4000, timestamp=EARLIER_STOP, idTag=tag,
                             reason="Local", transactionData=data)
        await status(station, "Available")
        return started, stopped

    started, stopped = run(server, cs_id, back_online, boot=False)
    assert started["idTagInfo"]["status"] == stopped["idTagInfo"]["status"] == "Accepted"
    tx = transaction(server, started["transactionId"])
    assert (tx["status"], tx["energy"], len(tx["meterValues"])) == ("ended", 3000, 2)


def test_TC_064_data_transfer_to_the_central_system(server):
    cs_id = new_station(server)

    async def scenario(station):
        unknown_vendor = await send(station, "DataTransfer", {"vendorId": "com.example.unknown", "messageId": "Hi", "data": "x"})
        unknown_message = await send(station, "DataTransfer", {
            "vendorId": "org.openchargealliance.iso15118pnc", "messageId": "NoSuchMessage", "data": "{}"})
        return unknown_vendor, unknown_message

    unknown_vendor, unknown_message = run(server, cs_id, scenario)
    assert unknown_vendor["status"] == "UnknownVendorId"
    assert unknown_message["status"] == "UnknownMessageId"
