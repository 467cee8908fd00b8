"""/metrics counts what the program did: connected stations, station calls by action and outcome, refusals."""
from __future__ import annotations

import asyncio

import pytest
import requests
from ocpp.v16 import call

from tests.conftest import station_client


def metric(api_url: str, name: str) -> float:
    text = requests.get(api_url.removesuffix("/api/v0") + "/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def test_metrics_follow_station_traffic(live_server):
    live_server.register("M1")

    async def session():
        async with station_client(live_server.ws_url, "M1", "ocpp1.6") as station:
            await station.call(call.BootNotification(charge_point_model="M", charge_point_vendor="V"))
            connected = await asyncio.to_thread(metric, live_server.api_url, "csms_stations_connected")
            return connected

    assert asyncio.run(session()) == 1
    boots = 'csms_ocpp_messages_total{action="BootNotification",direction="in",outcome="result",version="1.6"}'
    assert metric(live_server.api_url, boots) == 1

    async def refused():
        with pytest.raises(Exception):
            async with station_client(live_server.ws_url, "M1", "ocpp1.6", password="wrong-password"):
                pass

    asyncio.run(refused())
    assert metric(live_server.api_url, 'csms_station_auth_failures_total{reason="401"}') == 1


def test_handling_times_land_in_cumulative_buckets():
    from prometheus_client import CollectorRegistry, generate_latest

    from metrics import StationCalls

    calls = StationCalls()
    for seconds in (0.003, 0.004, 0.2, 99.0):
        calls.observe("2.0.1", "Heartbeat", "result", seconds)
    registry = CollectorRegistry()
    registry.register(calls)
    lines = generate_latest(registry).decode().splitlines()

    def sample(name: str) -> float:
        return float(next(line for line in lines if line.startswith(name)).rsplit(" ", 1)[1])

    labels = 'action="Heartbeat",le="{}",version="2.0.1"'
    assert sample("csms_ocpp_handling_seconds_bucket{" + labels.format("0.005") + "}") == 2
    assert sample("csms_ocpp_handling_seconds_bucket{" + labels.format("0.25") + "}") == 3
    assert sample("csms_ocpp_handling_seconds_bucket{" + labels.format("+Inf") + "}") == 4
    assert sample("csms_ocpp_handling_seconds_sum") == 99.207
    assert sample('csms_ocpp_messages_total{action="Heartbeat",direction="in",outcome="result",version="2.0.1"}') == 4
