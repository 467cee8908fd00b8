"""The README's example station (examples/station.py) runs a whole session against a live server, both versions."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, LiveServer

TOKEN = {"countryCode": "GB", "partyId": "TWK", "type": "RFID", "uid": "DEADBEEF", "contractId": "GB-TWK-012345678-V",
         "issuer": "Example", "valid": True, "cacheMode": "ALWAYS"}


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_example_station_charges_and_the_api_shows_it(tmp_path, version):
    server = LiveServer.start(tmp_path)
    try:
        server.register("cs001", password="my-secret-password")
        assert server.api("POST", "/token", json=TOKEN).status_code == 201
        run = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "station.py"), "--url", server.ws_url, "--version", version],
            capture_output=True, text=True, timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert "BootNotification: Accepted" in run.stdout and "Authorize: Accepted" in run.stdout
        station = server.api("GET", "/cs/cs001").json()
        assert (station["ocppVersion"], station["bootStatus"], station["vendor"]) == (version, "Accepted", "CSMS examples")
        [transaction] = server.api("GET", "/transactions?csId=cs001").json()
        assert (transaction["status"], transaction["energy"], transaction["idToken"]) == ("ended", 1500.0, "DEADBEEF")
    finally:
        server.stop()
