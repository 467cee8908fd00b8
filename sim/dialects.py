"""What a simulated station says, per OCPP version: boot, status, authorize and a transaction's messages."""
from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from protocol.times import utc_now

POWER_W = 11_000  # a 3-phase 16 A charge
_transaction_numbers = itertools.count(1)
_RUN = os.urandom(3).hex()  # our 2.0.1 transaction ids stay unique across runs against the same database


class Caller(Protocol):
    """The station seen by a dialect: it sends CALLs (a CALLERROR raises)."""

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]: ...


class Refused(Exception):
    """The CSMS said no (a token refused, a CSR rejected); `str()` is one line."""


@dataclass
class Transaction:
    """A transaction in progress on one connector; `meter_wh` is the energy register's reading."""

    connector_id: int
    id_token: str
    meter_wh: float
    transaction_id: str = ""
    seq_no: int = 0
    remote_start_id: int | None = None
    is_ended: bool = False
    sampled_at: float = field(default_factory=time.monotonic)  # when `meter_wh` was last moved on

    def advance(self) -> None:
        """The energy register moves on at POWER_W since the last reading."""
        now = time.monotonic()
        self.meter_wh += POWER_W * (now - self.sampled_at) / 3600
        self.sampled_at = now


class Dialect16:
    """OCPP 1.6J."""

    version = "1.6"
    stop_reasons = {"Local": "Local", "Remote": "Remote", "Reset": "SoftReset", "DeAuthorized": "DeAuthorized"}

    def boot(self, reason: str) -> dict[str, Any]:
        return {"chargePointVendor": "CSMS sim", "chargePointModel": "Sim-16", "firmwareVersion": "1.0"}

    def status(self, connector_id: int, status: str) -> dict[str, Any]:
        status = {"Occupied": "Preparing", "Charging": "Charging"}.get(status, status)
        return {"connectorId": connector_id, "errorCode": "NoError", "status": status, "timestamp": utc_now()}

    async def authorize(self, station: Caller, id_token: str) -> None:
        answer = await station.call("Authorize", {"idTag": id_token})
        _check_token(id_token, answer["idTagInfo"]["status"])

    async def start(self, station: Caller, transaction: Transaction) -> None:
        payload = {"connectorId": transaction.connector_id, "idTag": transaction.id_token,
                   "meterStart": int(transaction.meter_wh), "timestamp": utc_now()}
        answer = await station.call("StartTransaction", payload)
        transaction.transaction_id = str(answer["transactionId"])
        if answer["idTagInfo"]["status"] != "Accepted":
            await self.stop(station, transaction, "DeAuthorized")
            _check_token(transaction.id_token, answer["idTagInfo"]["status"])

    async def meter(self, station: Caller, transaction: Transaction) -> None:
        sample = [_sample("Energy.Active.Import.Register", f"{transaction.meter_wh:.0f}", "Wh"),
                  _sample("Power.Active.Import", str(POWER_W), "W")]
        payload = {"connectorId": transaction.connector_id, "transactionId": int(transaction.transaction_id),
                   "meterValue": [{"timestamp": utc_now(), "sampledValue": sample}]}
        await station.call("MeterValues", payload)

    async def stop(self, station: Caller, transaction: Transaction, reason: str) -> None:
        payload = {"transactionId": int(transaction.transaction_id), "meterStop": int(transaction.meter_wh),
                   "timestamp": utc_now(), "reason": self.stop_reasons[reason], "idTag": transaction.id_token}
        await station.call("StopTransaction", payload)

    def sign_certificate(self, csr: str) -> dict[str, Any]:
        return {"csr": csr}


class Dialect201:
    """OCPP 2.0.1 (and 2.1, whose messages we send are the same)."""

    stop_reasons = {"Local": ("Local", "StopAuthorized"), "Remote": ("Remote", "RemoteStop"),
                    "Reset": ("ImmediateReset", "ResetCommand"), "DeAuthorized": ("DeAuthorized", "Deauthorized")}

    def __init__(self, version: str) -> None:
        self.version = version

    def boot(self, reason: str) -> dict[str, Any]:
        station = {"model": f"Sim-{self.version}", "vendorName": "CSMS sim", "firmwareVersion": "1.0"}
        return {"chargingStation": station, "reason": reason}

    def status(self, connector_id: int, status: str) -> dict[str, Any]:
        status = {"Charging": "Occupied", "Preparing": "Occupied"}.get(status, status)
        return {"timestamp": utc_now(), "connectorStatus": status, "evseId": connector_id, "connectorId": 1}

    async def authorize(self, station: Caller, id_token: str) -> None:
        answer = await station.call("Authorize", {"idToken": _id_token(id_token)})
        _check_token(id_token, answer["idTokenInfo"]["status"])

    async def start(self, station: Caller, transaction: Transaction) -> None:
        transaction.transaction_id = f"sim-{_RUN}-{next(_transaction_numbers)}"
        trigger = "RemoteStart" if transaction.remote_start_id is not None else "Authorized"
        extra = {"idToken": _id_token(transaction.id_token), "evse": {"id": transaction.connector_id, "connectorId": 1}}
        answer = await station.call("TransactionEvent", self._event(transaction, "Started", trigger, extra))
        status = answer.get("idTokenInfo", {}).get("status", "Accepted")
        if status != "Accepted":
            await self.stop(station, transaction, "DeAuthorized")
            _check_token(transaction.id_token, status)

    async def meter(self, station: Caller, transaction: Transaction) -> None:
        await station.call("TransactionEvent", self._event(transaction, "Updated", "MeterValuePeriodic"))

    async def stop(self, station: Caller, transaction: Transaction, reason: str) -> None:
        stopped, trigger = self.stop_reasons[reason]
        event = self._event(transaction, "Ended", trigger)
        event["transactionInfo"] |= {"stoppedReason": stopped, "chargingState": "Idle"}
        await station.call("TransactionEvent", event)

    def _event(self, transaction: Transaction, event_type: str, trigger: str, extra: dict | None = None) -> dict:
        info: dict[str, Any] = {"transactionId": transaction.transaction_id, "chargingState": "Charging"}
        if transaction.remote_start_id is not None:
            info["remoteStartId"] = transaction.remote_start_id
        now = utc_now()
        samples = [_sample("Energy.Active.Import.Register", round(transaction.meter_wh), "Wh", unit_key="unitOfMeasure"),
                   _sample("Power.Active.Import", POWER_W, "W", unit_key="unitOfMeasure")]
        event = {"eventType": event_type, "timestamp": now, "triggerReason": trigger, "seqNo": transaction.seq_no,
                 "transactionInfo": info, "meterValue": [{"timestamp": now, "sampledValue": samples}], **(extra or {})}
        transaction.seq_no += 1
        return event

    def sign_certificate(self, csr: str) -> dict[str, Any]:
        return {"csr": csr, "certificateType": "ChargingStationCertificate"}


def _sample(measurand: str, value: Any, unit: str, unit_key: str = "unit") -> dict[str, Any]:
    unit_value = {"unit": unit} if unit_key == "unitOfMeasure" else unit
    return {"value": value, "measurand": measurand, "context": "Sample.Periodic", unit_key: unit_value}


def _id_token(id_token: str) -> dict[str, str]:
    return {"idToken": id_token, "type": "ISO14443"}


def _check_token(id_token: str, status: str) -> None:
    if status != "Accepted":
        raise Refused(f"token {id_token} refused: {status}")


def dialect_for(version: str) -> Dialect16 | Dialect201:
    return Dialect16() if version == "1.6" else Dialect201(version)
