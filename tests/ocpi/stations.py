"""What a charging station does during a roaming charge, in both OCPP versions, for the OCPI tests."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any, Callable

ACCEPTING = {
    "RemoteStartTransaction": {"status": "Accepted"},
    "RequestStartTransaction": {"status": "Accepted"},
    "RemoteStopTransaction": {"status": "Accepted"},
    "RequestStopTransaction": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "ReserveNow": {"status": "Accepted"},
    "CancelReservation": {"status": "Accepted"},
}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


async def off_loop(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking test code (HTTP, waiting for the eMSP) beside the station's event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def report_status(station: Any, version: str, status: str, connector: int = 1) -> None:
    """StatusNotification for connector / EVSE `connector` (2.0.1 statuses: Available, Occupied, ...)."""
    if version == "1.6":
        await station.send("StatusNotification", {"connectorId": connector, "errorCode": "NoError", "status": status})
        return
    status = {"Charging": "Occupied", "Preparing": "Occupied"}.get(status, status)
    payload = {"timestamp": now(), "connectorStatus": status, "evseId": connector, "connectorId": 1}
    await station.send("StatusNotification", payload)


def energy(wh: float, version: str) -> list[dict[str, Any]]:
    """A meterValue list with one energy register reading."""
    value = str(wh) if version == "1.6" else wh
    return [{"timestamp": now(), "sampledValue": [{"value": value, "measurand": "Energy.Active.Import.Register"}]}]


async def start(station: Any, version: str, id_token: str, remote: dict[str, Any] | None, wh: float) -> str:
    """Start a transaction on connector / EVSE 1 (after a remote start when `remote` is its request); its id."""
    if version == "1.6":
        payload = {"connectorId": 1, "idTag": id_token, "meterStart": int(wh), "timestamp": now()}
        return str((await station.send("StartTransaction", payload))["transactionId"])
    transaction_id = f"TX-{id_token}"
    info: dict[str, Any] = {"transactionId": transaction_id, "chargingState": "Charging"}
    if remote is not None:
        info["remoteStartId"] = remote["remoteStartId"]
    token_type = remote["idToken"]["type"] if remote else "ISO14443"
    event = {
        "eventType": "Started", "timestamp": now(), "triggerReason": "RemoteStart" if remote else "Authorized",
        "seqNo": 0, "transactionInfo": info, "idToken": {"idToken": id_token, "type": token_type},
        "evse": {"id": 1, "connectorId": 1}, "meterValue": energy(wh, version),
    }  # fmt: skip
    await station.send("TransactionEvent", event)
    return transaction_id


async def meter(station: Any, version: str, transaction_id: str, wh: float, seq_no: int = 1) -> None:
    """An energy reading during the transaction."""
    if version == "1.6":
        payload = {"connectorId": 1, "transactionId": int(transaction_id), "meterValue": energy(wh, version)}
        await station.send("MeterValues", payload)
        return
    event = {
        "eventType": "Updated", "timestamp": now(), "triggerReason": "MeterValuePeriodic", "seqNo": seq_no,
        "transactionInfo": {"transactionId": transaction_id}, "meterValue": energy(wh, version),
    }  # fmt: skip
    await station.send("TransactionEvent", event)


async def stop(station: Any, version: str, transaction_id: str, wh: float, seq_no: int = 2) -> None:
    """End the transaction as a remote stop does."""
    if version == "1.6":
        payload = {"transactionId": int(transaction_id), "meterStop": int(wh), "timestamp": now(), "reason": "Remote"}
        await station.send("StopTransaction", payload)
        return
    event = {
        "eventType": "Ended", "timestamp": now(), "triggerReason": "RemoteStop", "seqNo": seq_no,
        "transactionInfo": {"transactionId": transaction_id, "stoppedReason": "Remote"}, "meterValue": energy(wh, version),
    }  # fmt: skip
    await station.send("TransactionEvent", event)
