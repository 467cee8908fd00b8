"""What each simulated station does in a run: boot, charge, storm, pnc, soak. A scenario returns when the station
completed it and raises (one line) when it could not."""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field, replace
from typing import Awaitable, Callable

from sim.behaviour import SimStation
from sim.tls import client_context

CHARGE_SECONDS = 5.0  # one short charge by default
SOAK_SECONDS = 60.0
STORM_PERIOD = 10.0  # seconds between storms when --duration asks for several


@dataclass
class Plan:
    """What every station of a run shares: the token to charge with, how long, and the run's coordination."""

    id_token: str
    duration: float | None
    barrier: Barrier
    root_pem: str | None = None  # the CSMS root the stations trust (wss)
    set_profile: Callable[[str, int], Awaitable[None]] | None = None  # re-registers a station (pnc)
    rng: random.Random = field(default_factory=random.Random)


class Barrier:
    """Stations wait here until every station still in the run has arrived (a failed one leaves); reusable."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.arrived = 0
        self._event = asyncio.Event()

    async def wait(self) -> None:
        event = self._event
        self.arrived += 1
        self._release()
        await event.wait()

    def leave(self) -> None:
        self.parties -= 1
        self._release()

    def _release(self) -> None:
        if self.arrived and self.arrived >= self.parties:
            self._event.set()
            self._event, self.arrived = asyncio.Event(), 0


async def boot(station: SimStation, plan: Plan) -> None:
    """Boot, report the connectors, one Heartbeat; with --duration, stay and send Heartbeats at --rate."""
    await station.start()
    await station.call("Heartbeat", {})
    if plan.duration:
        await station.idle(plan.duration)


async def charge(station: SimStation, plan: Plan) -> None:
    """Boot and one RFID charge with meter values (--duration seconds long)."""
    await station.start()
    await station.charge(1, plan.id_token, plan.duration or CHARGE_SECONDS)


async def storm(station: SimStation, plan: Plan) -> None:
    """Boot; then every station loses power at the same moment and comes back (once, or every STORM_PERIOD seconds
    for --duration)."""
    await station.start()
    for _ in range(max(1, int((plan.duration or 0) / STORM_PERIOD))):
        await plan.barrier.wait()  # every station is online
        boots = station.boots
        await station.drop(power_loss=True)
        await station.wait_booted(boots)


async def pnc(station: SimStation, plan: Plan) -> None:
    """On security profile 1 (TLS + password): send a CSR, get CertificateSigned, then come back on profile 3 with
    that certificate and no password."""
    assert plan.root_pem is not None and plan.set_profile is not None
    await station.start()
    chain = await station.obtain_certificate()
    station.endpoint = replace(station.endpoint, password=None, ssl=client_context(plan.root_pem, chain, station.key))
    boots, link = station.boots, station.link
    station.boot_on_reconnect()
    await plan.set_profile(station.cs_id, 2)  # the CSMS closes the connection on profile 1
    if station.link is link:
        await station.restart_connection("PowerUp")
    await station.wait_booted(boots)


async def soak(station: SimStation, plan: Plan) -> None:
    """For --duration (default 60 s): charges of 5-30 s, idle spells with Heartbeats, connectors going
    Unavailable for a moment, and now and then a lost connection."""
    await station.start()
    deadline = time.monotonic() + (plan.duration or SOAK_SECONDS)
    while (left := deadline - time.monotonic()) > 0:
        roll = plan.rng.random()
        if roll < 0.4:
            await station.charge(1, plan.id_token, min(plan.rng.uniform(5, 30), left))
        elif roll < 0.85:
            await station.idle(min(plan.rng.uniform(2, 10), left))
        elif roll < 0.95:
            await station.flicker(1)
        else:
            await station.drop(power_loss=plan.rng.random() < 0.5)  # a power loss boots again, a blip reconnects


SCENARIOS: dict[str, Callable[[SimStation, Plan], Awaitable[None]]] = {
    "boot": boot, "charge": charge, "storm": storm, "pnc": pnc, "soak": soak,
}
