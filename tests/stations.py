"""Test helpers around sim/'s station classes: a connected recording station, and waiting for the API to show a
command."""
from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, AsyncIterator, Callable

import requests

from sim.stations import STATION_CLASSES, Answer, Recorder, Station16, Station201
from tests.conftest import LiveServer, station_client


@contextlib.asynccontextmanager
async def recording_station(
    server: LiveServer,
    cs_id: str,
    version: str,
    answers: dict[str, Answer] | None = None,
    boot: bool = True,
    url: str | None = None,
    **kwargs: Any,
) -> AsyncIterator[Station16 | Station201]:
    """A connected (and by default booted) recording station of `version` ("1.6" or "2.0.1"), over `url` (default
    the server's ws:// one)."""
    station_class = STATION_CLASSES[version]

    def factory(cs: str, connection: Any) -> Any:
        return station_class(cs, connection, answers)

    subprotocol = f"ocpp{version}"
    async with station_client(url or server.ws_url, cs_id, subprotocol, charge_point_class=factory, **kwargs) as station:
        if boot:
            assert await station.boot() == "Accepted"
        yield station


def wait_for_command(server: LiveServer, cs_id: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 15) -> dict[str, Any]:
    """Poll GET /cs/{csId}/commands until one command satisfies `predicate`; return it."""
    deadline = time.monotonic() + timeout
    commands: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        commands = requests.get(f"{server.api_url}/cs/{cs_id}/commands", timeout=5).json()
        found = next((command for command in commands if predicate(command)), None)
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no such command; have {commands}")


def api_read(server: LiveServer, path: str) -> Any:
    """GET an API path that must answer 200; its JSON."""
    response = requests.get(f"{server.api_url}{path}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


async def operate(
    server: LiveServer, cs_id: str, station: Recorder, path: str, body: dict[str, Any]
) -> tuple[tuple[str, dict[str, Any]], dict[str, Any]]:
    """POST /cs/{csId}/<path> (202), the call the station receives, and the command once completed or failed."""
    queued = await asyncio.to_thread(requests.post, f"{server.api_url}/cs/{cs_id}/{path}", json=body, timeout=10)
    assert queued.status_code == 202, queued.text
    received = await station.next_call()
    command_id = queued.json()["id"]

    def is_done(command: dict[str, Any]) -> bool:
        return command["id"] == command_id and command["status"] in ("completed", "failed")

    return received, await asyncio.to_thread(wait_for_command, server, cs_id, is_done)
