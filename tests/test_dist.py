"""`make dist` gives one file that runs on its own: built, copied into an empty directory and started without the
venv on PATH, it serves /health, takes simulated stations (its own simulator) and stops on SIGTERM."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess

import pytest
import requests

from tests.conftest import ROOT, LiveServer

PORTS = {f"CSMS_{name}_PORT": "0" for name in ("API", "OCPI", "WS", "WSS")}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_single_file_serves_simulates_and_stops(tmp_path):
    build = subprocess.run(["make", "dist"], cwd=ROOT, capture_output=True, text=True, timeout=800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    binary = tmp_path / "csms"
    shutil.copy2(ROOT / "dist" / "csms", binary)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"} | PORTS
    output = tmp_path / "server.out"
    process = subprocess.Popen([str(binary)], cwd=tmp_path, env=env, stdout=output.open("w"), stderr=subprocess.STDOUT)
    server = LiveServer(process, output)
    try:
        server.wait_for_banner(timeout=60)
        assert requests.get(server.api_url.removesuffix("/api/v0") + "/health", timeout=10).json() == {"status": "ok"}
        simulated = subprocess.run(
            [str(binary), "simulate", "--api", server.api_url, "--url", server.ws_url, "--stations", "5",
             "--version", "2.0.1", "--duration", "1", "--json"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )
        assert simulated.returncode == 0, simulated.stdout + simulated.stderr
        assert json.loads(simulated.stdout)["stations"]["completed"] == 5
        transactions = server.api("GET", "/transactions").json()
        assert len(transactions) == 5 and {t["status"] for t in transactions} == {"ended"}
        assert (tmp_path / "csms.sqlite3").exists()  # the embedded default: one SQLite file where it runs
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        server.stop()
