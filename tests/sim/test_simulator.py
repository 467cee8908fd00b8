"""`python app.py simulate` against a live server: the scenarios' outcome checked through the API, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any, Callable, Iterator

import pytest

from tests.conftest import ROOT, LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer.start(tmp_path_factory.mktemp("sim"), {"CSMS_AUTH_FAILURE_LIMIT": "1000"})
    yield live
    live.stop()


def simulate_args(server: LiveServer, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "app.py"), "simulate", "--api", server.api_url, "--url", server.ws_url, *args]


def simulate(server: LiveServer, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(simulate_args(server, *args), capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def wait_until(check: Callable[[], Any], timeout: float = 20) -> Any:
    """Poll `check` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError("condition not reached")


def finished(server: LiveServer, cs_id: str, command_id: int) -> dict[str, Any]:
    def done() -> dict | None:
        command = server.api("GET", f"/cs/{cs_id}/commands/{command_id}").json()
        return command if command["status"] in ("completed", "failed") else None

    return wait_until(done)


def queue(server: LiveServer, cs_id: str, path: str, body: dict) -> int:
    response = server.api("POST", f"/cs/{cs_id}/{path}", json=body)
    assert response.status_code in (200, 202), response.text
    return response.json()["id"] if response.status_code == 202 else server.api("GET", f"/cs/{cs_id}/commands").json()[0]["id"]


def energy_readings(server: LiveServer, transaction_id: str) -> list[dict[str, Any]]:
    values = server.api("GET", f"/transactions/{transaction_id}").json()["meterValues"]
    return [value for value in values if value["measurand"] == "Energy.Active.Import.Register"]


CONFIGURATION = {
    "1.6": ("HeartbeatInterval", "get-configuration", {"keys": ["HeartbeatInterval"]}),
    "2.0.1": ("OCPPCommCtrlr/HeartbeatInterval", "call", {"action": "GetVariables", "payload": {"getVariableData": [
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}]}}),
}


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_charge_scenario_stores_transactions_and_answers_commands(server, version):
    prefix = f"charge{version.replace('.', '')}-"
    process = subprocess.Popen(simulate_args(server, "--version", version, "--stations", "3", "--id-prefix", prefix,
                                             "--duration", "8", "--json"), stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        active = wait_until(lambda: [t for t in server.api("GET", "/transactions", params={"csId": f"{prefix}1"}).json()
                                     if t["status"] == "active"])[0]["transactionId"]
        wait_until(lambda: len(energy_readings(server, active)) >= 2)  # it has charged a little
        stop = queue(server, f"{prefix}1", "remote-stop", {"transactionId": active})
        name, path, body = CONFIGURATION[version]
        changed = queue(server, f"{prefix}2", "reconfigure", {name: "120"})
        read = queue(server, f"{prefix}2", path, body)
        trigger = queue(server, f"{prefix}3", "trigger-message", {"requestedMessage": "StatusNotification"})
        answers = {key: finished(server, cs_id, command_id) for key, cs_id, command_id in (
            ("stop", f"{prefix}1", stop), ("change", f"{prefix}2", changed), ("read", f"{prefix}2", read),
            ("trigger", f"{prefix}3", trigger))}
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, output
    summary = json.loads(output)
    assert (summary["stations"], summary["sessions"], summary["errors"]) == (
        {"total": 3, "completed": 3, "failed": 0}, 3, [])
    assert {key: command["status"] for key, command in answers.items()} == dict.fromkeys(answers, "completed")
    assert answers["stop"]["response"] == {"status": "Accepted"}
    assert answers["trigger"]["response"] == {"status": "Accepted"}
    assert "120" in json.dumps(answers["read"]["response"])  # the station kept the value it was given
    transactions = {t["csId"]: t for t in server.api("GET", "/transactions", params={"limit": 100}).json()
                    if t["csId"].startswith(prefix)}
    assert sorted(transactions) == [f"{prefix}{n}" for n in (1, 2, 3)]
    assert all(t["status"] == "ended" and t["energy"] > 0 and t["idToken"] == "SIMTOKEN01" for t in transactions.values())
    assert transactions[f"{prefix}1"]["stopReason"] == "Remote"
    assert summary["messages"]["byAction"]["TriggerMessage"]["received"] == 1


@pytest.mark.parametrize("version, reset_type", [("1.6", "Hard"), ("2.0.1", "Immediate")])
def test_remote_start_stop_and_reset_drive_the_station(server, version, reset_type):
    cs_id = f"remote{version.replace('.', '')}-1"
    process = subprocess.Popen(simulate_args(server, "--version", version, "--scenario", "boot", "--id-prefix",
                                             cs_id[:-1], "--duration", "10", "--json"),
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        wait_until(lambda: server.api("GET", f"/cs/{cs_id}").json().get("bootStatus") == "Accepted")
        started = finished(server, cs_id, queue(server, cs_id, "remote-start", {"idToken": "SIMTOKEN01", "evseId": 1}))
        [active] = wait_until(lambda: server.api("GET", "/transactions", params={"csId": cs_id}).json())
        stopped = finished(server, cs_id, queue(server, cs_id, "remote-stop", {"transactionId": active["transactionId"]}))
        ended = wait_until(lambda: server.api("GET", f"/transactions/{active['transactionId']}").json()["stoppedAt"])
        reset = finished(server, cs_id, queue(server, cs_id, "reset", {"type": reset_type}))
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert [c["response"] for c in (started, stopped, reset)] == [{"status": "Accepted"}] * 3
    assert (active["idToken"], bool(ended)) == ("SIMTOKEN01", True)
    assert server.api("GET", f"/transactions/{active['transactionId']}").json()["stopReason"] == "Remote"
    assert process.returncode == 0
    assert json.loads(output)["messages"]["byAction"]["BootNotification"]["sent"] == 2  # the reset rebooted it


def test_a_storm_of_200_stations_comes_back_booted(server):
    result = simulate(server, "--stations", "200", "--scenario", "storm", "--id-prefix", "storm", "--json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    summary = json.loads(result.stdout)
    assert summary["stations"] == {"total": 200, "completed": 200, "failed": 0}
    assert summary["messages"]["byAction"]["BootNotification"]["sent"] == 400  # each booted, lost power, booted again
    stations = [s for offset in (0, 100, 200) for s in server.api("GET", "/cs", params={"offset": offset, "limit": 100}).json()
                if s["id"].startswith("storm")]
    assert len(stations) == 200 and {s["bootStatus"] for s in stations} == {"Accepted"}


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_pnc_goes_from_a_password_to_a_certificate(server, version):
    prefix = f"pnc{version.replace('.', '')}-"
    wss = server.urls["wss"]
    result = simulate(server, "--url", wss, "--scenario", "pnc", "--version", version, "--id-prefix", prefix, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    issued = server.api("GET", f"/cs/{prefix}1/certificates/issued").json()
    assert [(c["certificateType"], c["revoked"]) for c in issued] == [("ChargingStationCertificate", False)]
    station = server.api("GET", f"/cs/{prefix}1").json()
    assert (station["securityProfile"], station["bootStatus"]) == (2, "Accepted")
    assert json.loads(result.stdout)["messages"]["byAction"]["BootNotification"]["sent"] == 2


def test_a_short_soak_completes(server):
    result = simulate(server, "--scenario", "soak", "--stations", "5", "--duration", "8", "--rate", "4",
                      "--id-prefix", "soak", "--seed", "7", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["stations"]["completed"] == 5 and summary["messages"]["callErrors"] == 0


@pytest.mark.parametrize("case, message", [
    ("password", "bad1: handshake refused (401): wrong password"),
    ("api", "cannot reach the API at http://127.0.0.1:1/api/v0"),
    ("ws", "badws1: cannot connect to ws://127.0.0.1:1/ws"),
    ("url", "badurl1: not a WebSocket URL: http://127.0.0.1:1/ws"),
])
def test_bad_input_is_one_line_and_exit_1(server, case, message):
    args = {"password": ["--id-prefix", "bad", "--password", "not-the-password"],
            "api": ["--api", "http://127.0.0.1:1/api/v0"],
            "ws": ["--id-prefix", "badws", "--url", "ws://127.0.0.1:1/ws"],
            "url": ["--id-prefix", "badurl", "--url", "http://127.0.0.1:1/ws"]}[case]
    if case == "password":
        server.register("bad1", password="the-real-password")
    result = subprocess.run(simulate_args(server, *args), capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env=os.environ)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1, result.stderr


def test_pnc_needs_a_wss_url(server):
    result = simulate(server, "--scenario", "pnc")
    assert result.returncode == 2 and "pnc needs a wss:// --url" in result.stderr
