"""A simulated station: what it does on its own (charge, idle) and what CSMS calls make it do (sim/model*.py)."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Coroutine

from protocol.times import utc_now
from sim import model16, model201
from sim.connection import CallFailed, ConnectError, Endpoint, StationConnection
from sim.dialects import Refused, Transaction
from sim.metrics import Metrics
from sim.stations import ConnectionLost
from sim.tls import csr_pem, new_key

CERTIFICATE_WAIT = 30  # seconds for CertificateSigned after an accepted CSR
STOP_WAIT = 10  # seconds to end a transaction while the station shuts down
PROBLEMS = (CallFailed, ConnectError, ConnectionLost, Refused, TimeoutError)


class SimStation(StationConnection):
    """One simulated station; `rate` is how many messages a second it sends while charging or idling."""

    def __init__(self, cs_id: str, endpoint: Endpoint, metrics: Metrics, rate: float = 1.0,
                 organisation: str | None = None) -> None:
        super().__init__(cs_id, endpoint, metrics)
        is_16 = endpoint.version == "1.6"
        self.state = (model16 if is_16 else model201).new_state()
        self.model = (model16.Model16 if is_16 else model201.Model201)(self, metrics.record_received)
        self.rate = rate
        self.organisation = organisation
        self.key: Any = None
        self._certificate = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()

    # -- what it does on its own ---------------------------------------------------------------------------------
    async def after_boot(self) -> None:
        for connector_id in self.state.connectors:
            await self.send_status(connector_id)

    async def send_status(self, connector_id: int) -> None:
        await self.call("StatusNotification", self.dialect.status(connector_id, self.state.connectors[connector_id]))

    async def idle(self, seconds: float) -> None:
        """Heartbeats, `rate` a second, for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            await asyncio.sleep(min(1 / self.rate, left))
            await self.call("Heartbeat", {})

    async def charge(self, connector_id: int, id_token: str, seconds: float | None, is_remote: bool = False,
                     remote_start_id: int | None = None) -> None:
        """Authorize (unless started remotely), start, send meter values `rate` a second and stop after `seconds`
        (None: when the CSMS stops it); a RemoteStop or a Reset may end it earlier."""
        transaction = Transaction(connector_id, id_token, self.state.energy_wh, remote_start_id=remote_start_id)
        self.state.transactions[connector_id] = transaction  # taken before the first await
        try:
            if not is_remote:  # AuthorizeRemoteTxRequests / AuthorizeRemoteStart are false
                await self.dialect.authorize(self, id_token)
            await self._set_status(connector_id, "Occupied")
            await self.dialect.start(self, transaction)
        except BaseException:
            self.state.transactions.pop(connector_id, None)
            await self._set_status(connector_id, "Available")
            raise
        await self._meter_until(transaction, None if seconds is None else time.monotonic() + seconds)
        await self.stop_transaction(transaction, "Local")

    async def _meter_until(self, transaction: Transaction, deadline: float | None) -> None:
        while not transaction.is_ended and (deadline is None or time.monotonic() < deadline):
            left = 1 / self.rate if deadline is None else min(1 / self.rate, deadline - time.monotonic())
            await asyncio.sleep(max(left, 0))
            if not transaction.is_ended:
                self._advance(transaction)
                await self.dialect.meter(self, transaction)

    def _advance(self, transaction: Transaction) -> None:
        transaction.advance()
        self.state.energy_wh = transaction.meter_wh

    async def stop_transaction(self, transaction: Transaction, reason: str) -> None:
        """End a transaction once (whoever asks first: the charge's end, RemoteStop, Reset)."""
        if transaction.is_ended:
            return
        transaction.is_ended = True
        self._advance(transaction)
        self.state.transactions.pop(transaction.connector_id, None)
        if transaction.transaction_id:
            await self.dialect.stop(self, transaction, reason)
            self.metrics.sessions += 1
        await self._set_status(transaction.connector_id, "Available")

    async def flicker(self, connector_id: int) -> None:
        """An idle connector is Unavailable for a moment (a fault that clears)."""
        if self.state.connectors.get(connector_id) == "Available" and connector_id not in self.state.transactions:
            for status in ("Unavailable", "Available"):
                self.state.connectors[connector_id] = status
                await self.send_status(connector_id)

    async def _set_status(self, connector_id: int, status: str) -> None:
        if self.state.connectors.get(connector_id) != "Unavailable":
            self.state.connectors[connector_id] = status
            await self.send_status(connector_id)

    async def obtain_certificate(self) -> str:
        """Send a CSR and wait for CertificateSigned; the chain (the key stays in `key`)."""
        self._certificate.clear()
        await self.trigger("SignCertificate", None)
        try:
            await asyncio.wait_for(self._certificate.wait(), CERTIFICATE_WAIT)
        except TimeoutError:
            raise Refused(f"no CertificateSigned within {CERTIFICATE_WAIT} s of the accepted CSR") from None
        return self.state.certificate_chain or ""

    async def stop(self) -> None:
        """End what is still running (transactions stop Local), then close for good."""
        for task in list(self._tasks):
            task.cancel()
        if self.online.is_set():
            for transaction in list(self.state.transactions.values()):
                try:
                    await asyncio.wait_for(self.stop_transaction(transaction, "Local"), STOP_WAIT)
                except PROBLEMS:
                    break
        await self.close()

    # -- what CSMS calls make it do (sim/model.py's Actions) ------------------------------------------------------
    def guarded(self, work: Coroutine) -> Coroutine:
        """`work` run after an answer: its failure is counted, never raised into the package's task."""
        async def run() -> None:
            try:
                await work
            except PROBLEMS as error:
                self.metrics.note(self.cs_id, str(error))
            except asyncio.CancelledError:
                pass

        return run()

    async def start_remote(self, connector_id: int, id_token: str, remote_start_id: int | None) -> None:
        task = asyncio.create_task(self.guarded(self.charge(connector_id, id_token, None, True, remote_start_id)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reboot(self) -> None:
        for transaction in list(self.state.transactions.values()):
            await self.stop_transaction(transaction, "Reset")
        await self.restart_connection("RemoteReset")

    async def trigger(self, message: str, connector_id: int | None) -> None:
        if message == "SignCertificate":
            self.key = new_key()
            request = self.dialect.sign_certificate(csr_pem(self.key, self.cs_id, self.organisation))
            if (await self.call("SignCertificate", request))["status"] != "Accepted":
                raise Refused("the CSMS rejected the station's CSR (its CN or O?)")
        elif message == "BootNotification":
            await self.call("BootNotification", self.dialect.boot("Triggered"))
        elif message == "StatusNotification":
            for connector in [connector_id] if connector_id else list(self.state.connectors):
                await self.send_status(connector)
        elif message in ("MeterValues", "TransactionEvent"):
            await self._send_meter(connector_id or 1)
        else:
            await self.call("Heartbeat", {})

    async def _send_meter(self, connector_id: int) -> None:
        transaction = self.state.transactions.get(connector_id)
        if transaction is not None and transaction.transaction_id:
            await self.dialect.meter(self, transaction)
            return
        reading = {"value": round(self.state.energy_wh), "measurand": "Energy.Active.Import.Register"}
        if self.endpoint.version == "1.6":
            value = {"timestamp": utc_now(), "sampledValue": [reading | {"value": str(reading["value"])}]}
            await self.call("MeterValues", {"connectorId": connector_id, "meterValue": [value]})
        else:
            value = {"timestamp": utc_now(), "sampledValue": [reading]}
            await self.call("MeterValues", {"evseId": connector_id, "meterValue": [value]})

    async def send_report(self, request_id: int) -> None:
        data = [
            {"component": {"name": key.split("/")[0]}, "variable": {"name": key.split("/")[1]},
             "variableAttribute": [{"type": "Actual", "value": value,
                                    "mutability": "ReadOnly" if key in self.state.readonly else "ReadWrite"}],
             "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False}}
            for key, value in self.state.settings.items() if key not in self.state.write_only
        ]
        await self.call("NotifyReport", {"requestId": request_id, "generatedAt": utc_now(), "seqNo": 0,
                                         "tbc": False, "reportData": data})

    def certificate_signed(self, chain: str) -> None:
        self.state.certificate_chain = chain
        self._certificate.set()

    def change_password(self, password: str) -> None:
        self.endpoint.password = password
