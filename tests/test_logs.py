"""CSMS_LOG_FORMAT=json: every line after the banner is one JSON object, a station's lines name it, and no password
or hash reaches the log."""
from __future__ import annotations

import asyncio
import json

import websockets

from tests.conftest import STATION_PASSWORD, LiveServer, password_hash, station_client


def test_json_logs_are_one_object_a_line_naming_the_station(tmp_path):
    server = LiveServer.start(tmp_path, {"CSMS_LOG_FORMAT": "json"})
    try:
        server.register("LOG1")

        async def visit() -> None:
            async with station_client(server.ws_url, "LOG1", "ocpp2.0.1") as station:
                await station._connection.send('[2,"bad","NoSuchAction",{}]')
                await asyncio.sleep(0.3)
            try:
                async with station_client(server.ws_url, "LOG1", "ocpp2.0.1", password="wrong-password-123"):
                    pass
            except websockets.InvalidStatus:
                pass

        asyncio.run(asyncio.wait_for(visit(), 30))
    finally:
        server.stop()
    text = server.log()
    after_banner = text.split("\nready\n", 1)[1].splitlines()
    entries = [json.loads(line) for line in after_banner if line.strip()]
    assert entries and all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    station_lines = [entry for entry in entries if entry.get("csId") == "LOG1"]
    assert any("NoSuchAction" in entry["message"] for entry in station_lines)
    assert any("refused: 401" in entry["message"] for entry in station_lines)
    assert STATION_PASSWORD not in text and password_hash(STATION_PASSWORD) not in text
    assert "wrong-password-123" not in text
