"""Prometheus collectors shared by the API, the gateway and the outbox (registered once per process)."""
from __future__ import annotations

import bisect
import itertools
from typing import Any, Iterator

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric

HTTP_REQUESTS = Counter("csms_http_requests_total", "Management API requests", ["method", "status"])
STATIONS_CONNECTED = Gauge("csms_stations_connected", "Stations with a live OCPP connection")
AUTH_FAILURES = Counter("csms_station_auth_failures_total", "Refused station handshakes", ["reason"])
COMMANDS = Counter("csms_commands_total", "Outbox commands by final state", ["action", "status"])


BUCKETS = Histogram.DEFAULT_BUCKETS[:-1]  # the handling-time bounds in seconds, without +Inf


class StationCalls:
    """csms_ocpp_messages_total and csms_ocpp_handling_seconds for the station CALLs we answered.

    Counted in plain dicts and turned into metric families when scraped: the client library's per-sample locks
    cost ~7 us per message at a thousand stations. Only the gateway's event loop observes, so no lock is needed.
    """

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str], int] = {}
        self.histograms: dict[tuple[str, str], list[float]] = {}  # bucket counts (the last +Inf), then the sum

    def observe(self, version: str, action: str, outcome: str, seconds: float) -> None:
        key = (version, action, outcome)
        self.counts[key] = self.counts.get(key, 0) + 1
        histogram = self.histograms.get((version, action))
        if histogram is None:
            histogram = self.histograms[(version, action)] = [0] * (len(BUCKETS) + 1) + [0.0]
        histogram[bisect.bisect_left(BUCKETS, seconds)] += 1  # the first bucket whose bound is >= seconds
        histogram[-1] += seconds

    def collect(self) -> Iterator[Metric]:
        messages = CounterMetricFamily(
            "csms_ocpp_messages", "OCPP frames handled", labels=["version", "direction", "action", "outcome"]
        )
        for (version, action, outcome), count in list(self.counts.items()):
            messages.add_metric([version, "in", action, outcome], count)
        yield messages
        handling = HistogramMetricFamily(
            "csms_ocpp_handling_seconds", "Time from a station CALL to our answer", labels=["version", "action"]
        )
        for (version, action), histogram in list(self.histograms.items()):
            cumulative = list(itertools.accumulate(histogram[:-1]))
            bounds = [str(bound) for bound in BUCKETS] + ["+Inf"]
            handling.add_metric([version, action], list(zip(bounds, cumulative)), histogram[-1])
        yield handling


STATION_CALLS = StationCalls()
REGISTRY.register(STATION_CALLS)


def observe_station_call(version: str, action: str, routes: Any, outcome: str, seconds: float) -> None:
    """Count a station CALL we answered; unknown actions share one label so stations cannot grow the series."""
    STATION_CALLS.observe(version, action if action in routes.handlers else "unknown", outcome, seconds)
