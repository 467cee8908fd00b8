"""A simulated station's state and the answers both OCPP versions give alike; sim/model16.py and sim/model201.py add
each version's own. An answer may ask the station to act once it is sent (start a charge, reboot, send a message)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable, Coroutine, Protocol

from sim.dialects import Transaction

Reply = dict[str, Any] | None
Outcome = tuple[Reply, Coroutine | None]
OCA_PNC = "org.openchargealliance.iso15118pnc"  # 1.6 carries Plug & Charge messages in DataTransfer
ACCEPTED = {"status": "Accepted"}


class Actions(Protocol):
    """What a CSMS call can make the station do (sim/driver.py's SimStation)."""

    state: StationState

    async def start_remote(self, connector_id: int, id_token: str, remote_start_id: int | None) -> None: ...
    async def stop_transaction(self, transaction: Transaction, reason: str) -> None: ...
    async def reboot(self) -> None: ...
    async def trigger(self, message: str, connector_id: int | None) -> None: ...
    async def send_status(self, connector_id: int) -> None: ...
    async def send_report(self, request_id: int) -> None: ...
    def certificate_signed(self, chain: str) -> None: ...
    def guarded(self, work: Coroutine) -> Coroutine: ...
    def change_password(self, password: str) -> None: ...


@dataclass
class StationState:
    """What the station remembers across calls and reconnections."""

    settings: dict[str, str]  # 1.6 configuration keys; 2.0.1 "Component/Variable" of its device model
    readonly: frozenset[str]
    write_only: frozenset[str] = frozenset()
    connectors: dict[int, str] = field(default_factory=lambda: {1: "Available"})
    transactions: dict[int, Transaction] = field(default_factory=dict)  # by connector (1.6) or EVSE (2.0.1) id
    reservations: dict[int, int] = field(default_factory=dict)  # reservation id -> connector
    local_list_version: int = 0
    certificate_chain: str | None = None
    energy_wh: float = field(default_factory=lambda: float(random.randrange(0, 1_000_000)))
    boots: int = 0

    def transaction_by_id(self, transaction_id: str) -> Transaction | None:
        return next((tx for tx in self.transactions.values() if tx.transaction_id == transaction_id), None)

    def is_free(self, connector_id: int) -> bool:
        return connector_id in self.connectors and connector_id not in self.transactions and \
            self.connectors[connector_id] == "Available"


def answers(action: str) -> Callable[[Callable], Callable]:
    """Mark a model method as the answer to `action`."""

    def mark(method: Callable) -> Callable:
        method.answers_action = action  # type: ignore[attr-defined]
        return method

    return mark


class Model:
    """Answers CSMS calls from the station's state; an action without an answer here is NotImplemented."""

    handlers: dict[str, Callable[..., Reply | Outcome]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.handlers = {
            value.answers_action: value
            for klass in reversed(cls.__mro__) for value in vars(klass).values() if hasattr(value, "answers_action")
        }

    def __init__(self, station: Actions, received: Callable[[str], None]) -> None:
        self.station = station
        self.state = station.state
        self._received = received

    def answer(self, action: str, payload: dict[str, Any]) -> Outcome:
        self._received(action)
        handler = self.handlers.get(action)
        if handler is None:
            return None, None
        outcome = handler(self, payload)
        reply, followup = outcome if isinstance(outcome, tuple) else (outcome, None)
        return reply, None if followup is None else self.station.guarded(followup)

    @answers("ClearCache")
    def clear_cache(self, payload: dict) -> Reply:
        return ACCEPTED

    @answers("SetChargingProfile")
    def set_charging_profile(self, payload: dict) -> Reply:
        return ACCEPTED

    @answers("ClearChargingProfile")
    def clear_charging_profile(self, payload: dict) -> Reply:
        return ACCEPTED

    @answers("GetCompositeSchedule")
    def get_composite_schedule(self, payload: dict) -> Reply:
        return {"status": "Rejected"}

    @answers("InstallCertificate")
    def install_certificate(self, payload: dict) -> Reply:
        return ACCEPTED

    @answers("DeleteCertificate")
    def delete_certificate(self, payload: dict) -> Reply:
        return {"status": "NotFound"}

    @answers("GetInstalledCertificateIds")
    def get_installed_certificate_ids(self, payload: dict) -> Reply:
        return {"status": "NotFound"}

    @answers("CertificateSigned")
    def certificate_signed(self, payload: dict) -> Reply:
        self.station.certificate_signed(payload["certificateChain"])
        return ACCEPTED

    @answers("GetLog")
    def get_log(self, payload: dict) -> Reply:
        return {"status": "Rejected"}  # a simulator has no log to upload

    @answers("UnlockConnector")
    def unlock_connector(self, payload: dict) -> Reply:
        return {"status": "Unlocked"}

    @answers("SendLocalList")
    def send_local_list(self, payload: dict) -> Reply:
        self.state.local_list_version = payload.get("listVersion", payload.get("versionNumber", 0))
        return ACCEPTED

    @answers("CancelReservation")
    def cancel_reservation(self, payload: dict) -> Reply:
        found = self.state.reservations.pop(payload["reservationId"], None)
        return {"status": "Accepted" if found is not None else "Rejected"}

    @answers("Reset")
    def reset(self, payload: dict) -> Outcome:
        return ACCEPTED, self.station.reboot()

    def remote_stop(self, transaction_id: str) -> Outcome:
        transaction = self.state.transaction_by_id(transaction_id)
        if transaction is None:
            return {"status": "Rejected"}, None
        return ACCEPTED, self.station.stop_transaction(transaction, "Remote")

    def remote_start(self, connector_id: int, id_token: str, remote_start_id: int | None = None) -> Outcome:
        if not self.state.is_free(connector_id):
            return {"status": "Rejected"}, None
        return ACCEPTED, self.station.start_remote(connector_id, id_token, remote_start_id)

    def reserve(self, reservation_id: int, connector_id: int) -> Reply:
        if connector_id and not self.state.is_free(connector_id):
            return {"status": "Occupied"}
        self.state.reservations[reservation_id] = connector_id
        return ACCEPTED

    def change_availability(self, connector_id: int | None, available: bool) -> Outcome:
        """Every connector when `connector_id` is 0 or None; Scheduled while one of them charges."""
        targets = [c for c in self.state.connectors if connector_id in (None, 0, c)]
        if not targets:
            return {"status": "Rejected"}, None
        if any(c in self.state.transactions for c in targets):
            return {"status": "Scheduled"}, None
        for connector in targets:
            self.state.connectors[connector] = "Available" if available else "Unavailable"
        return ACCEPTED, self._announce(targets)

    async def _announce(self, connectors: list[int]) -> None:
        for connector in connectors:
            await self.station.send_status(connector)
