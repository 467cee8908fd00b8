"""Passwords leave the database with the command that carried them; an answer after the timeout still counts."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.stations import recording_station, wait_for_command


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def traces(db_path: Path, *secrets: str) -> list[str]:
    """Which of `secrets` (as UTF-8 and UTF-16 text) appear in the SQLite file or its WAL."""
    data = b"".join(path.read_bytes() for path in (db_path, Path(f"{db_path}-wal")) if path.exists())
    return [secret for secret in secrets if secret.encode() in data or secret.encode("utf-16-le") in data]


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path)
    yield live
    live.stop()


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_new_station_password_leaves_no_trace_once_the_command_is_done(server, tmp_path, version):
    server.register("PW1")
    password = "Secret-Pass-8472-xyz"
    name, other = ("AuthorizationKey", "HeartbeatInterval") if version == "1.6" else (
        "SecurityCtrlr/BasicAuthPassword", "OCPPCommCtrlr/HeartbeatInterval"
    )

    async def scenario():
        async with recording_station(server, "PW1", version) as station:
            assert server.api("POST", "/cs/PW1/reconfigure", json={name: password, other: "77"}).status_code == 200
            await station.next_call()
            return await asyncio.to_thread(wait_for_command, server, "PW1", lambda c: c["status"] == "completed")

    command = run(scenario())
    assert command["params"][name] == "********"
    db_path = tmp_path / "live.sqlite3"
    deadline = time.monotonic() + 10
    while traces(db_path, password, password.encode().hex()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert traces(db_path, password, password.encode().hex()) == []
    assert traces(db_path, "HeartbeatInterval") == ["HeartbeatInterval"]  # the search can find what is there


@pytest.fixture
def slow_server(tmp_path):
    live = LiveServer.start(tmp_path, {"CSMS_CALL_TIMEOUT": "1", "CSMS_COMMAND_RETRY_DELAY": "0.5"})
    yield live
    live.stop()


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.005, 0.02, 0.3])
def test_an_answer_just_after_the_timeout_completes_the_command_without_a_second_send(slow_server, delay):
    slow_server.register("LATE1")

    async def answer_late(request):
        await asyncio.sleep(1 + delay)
        return {"status": "Accepted"}

    async def scenario():
        async with recording_station(slow_server, "LATE1", "2.0.1", {"RequestStartTransaction": answer_late}) as station:
            slow_server.api("POST", "/cs/LATE1/remote-start", json={"idToken": "TAG1", "evseId": 1})
            first = await station.next_call()
            command = await asyncio.to_thread(
                wait_for_command, slow_server, "LATE1", lambda c: c["status"] not in ("pending", "sent")
            )
            try:
                again = await station.next_call(timeout=2)
            except asyncio.TimeoutError:
                again = None
            return first, command, again

    first, command, again = run(scenario())
    assert first[0] == "RequestStartTransaction"
    assert (command["status"], command["response"]) == ("completed", {"status": "Accepted"})
    assert again is None, "the command went out twice"
