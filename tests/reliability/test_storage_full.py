"""When the database cannot grow (a full disk, or the CSMS_DB_MAX_MB cap): nothing is acknowledged that is not
stored (the station gets a CALLERROR, the API a 507), /health says so with 503, and it all recovers with space."""
from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest
import requests
from ocpp.exceptions import InternalError
from ocpp.v16 import call

from tests.conftest import LiveServer, station_client

TOKEN = {"countryCode": "NL", "partyId": "TST", "type": "RFID", "contractId": "NL-TST-C00000001", "issuer": "x",
         "valid": True, "cacheMode": "ALWAYS"}


@pytest.fixture
def server(tmp_path):
    live = LiveServer.start(tmp_path, {"CSMS_DB_MAX_MB": "2"})
    live.register("FULL1")
    yield live
    live.stop()


def fill(server: LiveServer, megabytes: int) -> None:
    """Grow the file past the server's cap from another connection (the cap is the server's own)."""
    with sqlite3.connect(server.output.parent / "live.sqlite3", timeout=30) as db:
        db.execute("CREATE TABLE IF NOT EXISTS ballast (data BLOB)")
        db.execute("INSERT INTO ballast VALUES (zeroblob(?))", [megabytes * 1024 * 1024])


def health(server: LiveServer) -> requests.Response:
    return requests.get(server.api_url.removesuffix("/api/v0") + "/health", timeout=10)


def test_a_full_database_refuses_instead_of_acknowledging_and_recovers(server):
    assert server.api("POST", "/token", json=TOKEN | {"uid": "BEFORE"}).status_code == 201
    fill(server, 3)
    # The pages the tables already have take a few more rows; the first that needs a new page is refused.
    answers = [server.api("POST", "/token", json=TOKEN | {"uid": f"DURING{n}", "visualNumber": "V" * 64})
               for n in range(400)]
    stored = [answer.status_code for answer in answers].index(507)
    assert answers[stored].json() == {"status": "Insufficient Storage", "error": "the database is full: nothing was stored"}

    async def station() -> tuple[str, int]:
        async with station_client(server.ws_url, "FULL1", "ocpp1.6") as cp:
            alive = (await cp.call(call.Heartbeat())).current_time
            samples = [{"value": str(n), "measurand": "Voltage", "unit": "V"} for n in range(50)]
            for sent in range(1, 200):
                values = call.MeterValues(connector_id=1, meter_value=[{"timestamp": "2026-01-01T00:00:00Z",
                                                                        "sampled_value": samples}])
                try:
                    await cp.call(values, suppress=False)
                except InternalError:  # not stored, so not acknowledged
                    return alive, sent
            return alive, 0

    alive, refused_after = asyncio.run(asyncio.wait_for(station(), 60))
    assert alive and refused_after > 0
    answer = health(server)
    assert answer.status_code == 503 and answer.json()["error"].startswith("writes fail")
    with sqlite3.connect(server.output.parent / "live.sqlite3", timeout=30) as db:
        db.execute("DROP TABLE ballast")
    assert server.api("POST", "/token", json=TOKEN | {"uid": "AFTER"}).status_code == 201
    deadline = time.monotonic() + 20
    while health(server).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert health(server).json() == {"status": "ok"}
    assert server.api("GET", f"/token/DURING{stored}").status_code == 404
