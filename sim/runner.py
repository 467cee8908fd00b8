"""A simulation run: the stations and the token registered through the API when missing, then N stations running a
scenario in one event loop, and what happened counted."""
from __future__ import annotations

import asyncio
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import ocpp.messages

from api_client import DEFAULT_API, ApiClient, ApiError
from sim.behaviour import PROBLEMS, SimStation
from sim.connection import ConnectError, Endpoint
from sim.metrics import Metrics
from sim.scenarios import CHARGE_SECONDS, SCENARIOS, SOAK_SECONDS, STORM_PERIOD, Barrier, Plan
from sim.tls import client_context
from storage.stations import password_hash

DEFAULT_WS = "ws://127.0.0.1:9310/ws"
DEFAULT_WSS = "wss://127.0.0.1:9311/ws"
DEFAULT_PASSWORD = "sim-station-password"
CONNECT_CONCURRENCY = 100  # handshakes in flight at the start
SETUP_SECONDS = 60  # each station's share of start-up (connection, boot) on top of its scenario's own time
REGISTER_THREADS = 8
TICK = 0.25  # seconds between progress reports


class SimulationError(Exception):
    """The run could not start (API, URL, handshake); `str()` is one line."""


@dataclass(frozen=True)
class Options:
    """Everything `python app.py simulate` takes."""

    api: str = DEFAULT_API
    url: str | None = None  # the WebSocket base without the station id; default ws://, wss:// for pnc
    version: str = "1.6"
    stations: int = 1
    scenario: str = "charge"
    id_prefix: str = "sim"
    password: str = DEFAULT_PASSWORD
    id_token: str = "SIMTOKEN01"
    api_token: str | None = None
    tls_root: Path | None = None  # the root certificate to trust for wss:// (default: the CSMS's, from the API)
    rate: float = 1.0
    duration: float | None = None
    organisation: str | None = None
    seed: int | None = None

    @property
    def ws_url(self) -> str:
        return (self.url or (DEFAULT_WSS if self.scenario == "pnc" else DEFAULT_WS)).rstrip("/")

    @property
    def is_tls(self) -> bool:
        return self.ws_url.startswith("wss://")

    def cs_ids(self) -> list[str]:
        return [f"{self.id_prefix}{number}" for number in range(1, self.stations + 1)]

    def time_limit(self) -> float:
        """Seconds a station may take for everything."""
        own = {"charge": CHARGE_SECONDS, "soak": SOAK_SECONDS, "storm": STORM_PERIOD}.get(self.scenario, 0.0)
        return SETUP_SECONDS + 2 * (self.duration or own) + self.stations * 0.02


def register(api: ApiClient, options: Options) -> None:
    """The token and every station the API does not know yet (pnc: always on profile 1, where it starts)."""
    token = {"countryCode": "NL", "partyId": "SIM", "type": "RFID", "uid": options.id_token,
             "contractId": "NL-SIM-C00000001", "issuer": "CSMS simulator", "valid": True, "cacheMode": "ALWAYS"}
    if not api.exists(f"/token/{options.id_token}"):
        api.post("/token", token)
    body = {"securityProfile": 1 if options.is_tls else 0, "base64SHA256Password": password_hash(options.password)}

    def ensure(cs_id: str) -> None:
        if options.scenario == "pnc" or not api.exists(f"/cs/{cs_id}"):
            api.post(f"/cs/{cs_id}", body)

    with ThreadPoolExecutor(REGISTER_THREADS) as pool:
        list(pool.map(ensure, options.cs_ids()))


def trusted_root(api: ApiClient, options: Options) -> str | None:
    """The root certificate stations trust for wss:// (None for ws://)."""
    if not options.is_tls:
        return None
    if options.tls_root is not None:
        try:
            return options.tls_root.read_text()
        except OSError as error:
            raise SimulationError(f"cannot read {options.tls_root}: {error.strerror}") from None
    return api.text("/pki/ca")


def simulate(options: Options, on_tick: Callable[[Metrics], None] | None = None) -> Metrics:
    """Register, run the scenario on every station, and return the counts (SimulationError when it cannot start)."""
    api = ApiClient(options.api, options.api_token)
    try:
        register(api, options)
        root = trusted_root(api, options)
    except ApiError as error:
        raise SimulationError(str(error)) from None
    # The package checks every message against its schemas on a worker thread by default: a thread hop each way
    # per message, which at hundreds of stations costs more than the check itself.
    ocpp.messages.ASYNC_VALIDATION = False
    # The package logs every CALLERROR it answers or gets with a traceback; the summary counts them instead.
    logging.getLogger("ocpp").setLevel(logging.CRITICAL)
    return asyncio.run(_run(options, api, root, on_tick))


async def _run(options: Options, api: ApiClient, root: str | None, on_tick: Callable[[Metrics], None] | None
               ) -> Metrics:
    metrics = Metrics()
    context = None if root is None else client_context(root)
    stations = [
        SimStation(cs_id, Endpoint(options.ws_url, options.version, options.password, context), metrics,
                   options.rate, options.organisation)
        for cs_id in options.cs_ids()
    ]
    try:  # one station first: a wrong URL or password is one clear line, not N of them
        await stations[0].connect()
    except ConnectError as error:
        raise SimulationError(f"{stations[0].cs_id}: {error}") from None

    async def set_profile(cs_id: str, profile: int) -> None:
        await asyncio.to_thread(api.post, f"/cs/{cs_id}", {"securityProfile": profile})

    plan = Plan(options.id_token, options.duration, Barrier(len(stations)), root, set_profile,
                random.Random(options.seed))
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    ticker = asyncio.create_task(_tick(metrics, on_tick))
    try:
        await asyncio.gather(*(_run_station(station, options, plan, gate) for station in stations))
    finally:
        ticker.cancel()
        if on_tick is not None:
            on_tick(metrics)
    return metrics


async def _run_station(station: SimStation, options: Options, plan: Plan, gate: asyncio.Semaphore) -> None:
    scenario = SCENARIOS[options.scenario]
    try:
        async with gate:
            if station.link is None:
                await station.connect()
        await asyncio.wait_for(scenario(station, plan), options.time_limit())
        station.metrics.completed += 1
    except TimeoutError:
        station.metrics.fail(station.cs_id, f"did not complete {options.scenario} within {options.time_limit():.0f} s")
    except (*PROBLEMS, ApiError) as error:
        station.metrics.fail(station.cs_id, str(error))
    except Exception as error:  # a bug of ours: still one line per station, the run goes on
        station.metrics.fail(station.cs_id, f"{type(error).__name__}: {error}")
    finally:
        plan.barrier.leave()
        await station.stop()


async def _tick(metrics: Metrics, on_tick: Callable[[Metrics], None] | None) -> None:
    while on_tick is not None:
        on_tick(metrics)
        await asyncio.sleep(TICK)
