"""Prometheus collectors shared by the API, the gateway and the outbox (registered once per process)."""
from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("csms_http_requests_total", "Management API requests", ["method", "status"])
STATIONS_CONNECTED = Gauge("csms_stations_connected", "Stations with a live OCPP connection")
OCPP_MESSAGES = Counter(
    "csms_ocpp_messages_total", "OCPP frames handled", ["version", "direction", "action", "outcome"]
)
OCPP_HANDLING_SECONDS = Histogram(
    "csms_ocpp_handling_seconds", "Time from a station CALL to our answer", ["version", "action"]
)
AUTH_FAILURES = Counter("csms_station_auth_failures_total", "Refused station handshakes", ["reason"])
COMMANDS = Counter("csms_commands_total", "Outbox commands by final state", ["action", "status"])


_station_call_series: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def observe_station_call(version: str, action: str, routes: Any, outcome: str, seconds: float) -> None:
    """Count a station CALL we answered; unknown actions share one label so stations cannot grow the series."""
    label = action if action in routes.handlers else "unknown"
    key = (version, label, outcome)
    series = _station_call_series.get(key)
    if series is None:  # labels() costs a lock and a lookup per call: keep the children
        series = (OCPP_MESSAGES.labels(version, "in", label, outcome), OCPP_HANDLING_SECONDS.labels(version, label))
        _station_call_series[key] = series
    series[0].inc()
    series[1].observe(seconds)
