"""SIGTERM while stations are busy: the server stops accepting, closes every station with 1001, commits what it
acknowledged, and exits 0 within 10 s."""
from __future__ import annotations

import asyncio
import signal
import sqlite3
import time

import websockets
from ocpp.v16 import call

from tests.conftest import LiveServer, station_client

SAMPLES = [{"value": "1", "measurand": "Voltage", "unit": "V"}]


def test_sigterm_closes_stations_with_1001_keeps_what_it_acknowledged_and_exits_0(tmp_path):
    server = LiveServer.start(tmp_path)
    server.register("BYE1")
    acknowledged = 0

    async def busy_station() -> int | None:
        nonlocal acknowledged
        async with station_client(server.ws_url, "BYE1", "ocpp1.6") as station:
            await station.call(call.BootNotification(charge_point_model="M", charge_point_vendor="V"))
            try:
                for n in range(100_000):
                    values = call.MeterValues(connector_id=1, meter_value=[{"timestamp": "2026-01-01T00:00:00Z",
                                                                            "sampled_value": SAMPLES}])
                    await station.call(values, suppress=False)
                    acknowledged += 1
                    if n == 50:
                        server.process.send_signal(signal.SIGTERM)
            except (websockets.ConnectionClosed, asyncio.TimeoutError):
                pass
            return station._connection.close_code

    started = time.monotonic()
    close_code = asyncio.run(asyncio.wait_for(busy_station(), 30))
    exit_code = server.process.wait(timeout=10)
    assert (exit_code, close_code) == (0, 1001)
    assert time.monotonic() - started < 15
    with sqlite3.connect(tmp_path / "live.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM meter_values WHERE cs_id = 'BYE1'").fetchone()[0]
    assert stored >= acknowledged > 50
    refused = asyncio.run(asyncio.wait_for(_still_listening(server), 10))
    assert refused


async def _still_listening(server: LiveServer) -> bool:
    """True when nothing accepts connections on the station port any more."""
    try:
        async with websockets.connect(f"{server.ws_url}/BYE1", open_timeout=2):
            return False
    except (OSError, websockets.InvalidHandshake, asyncio.TimeoutError):
        return True
