"""A durability trial: mixed traffic from real 1.6 and 2.0.1 stations and the API, the server killed with SIGKILL at a
random moment, restarted on the same file; then everything acknowledged must be there and every queued command
delivered (at least once).

`python -m tests.reliability.durability --trials 50` runs trials one after another and prints `trials, acknowledged,
lost` (`make soak`); tests/reliability/test_durability.py runs three.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from tests.conftest import LiveServer
from tests.stations import recording_station

STATIONS_PER_VERSION = 4
TOKEN = "DURA-TAG"
SAMPLES = 2  # sampled values per meter value message
ENV = {"CSMS_CALL_TIMEOUT": "2", "CSMS_COMMAND_RETRY_DELAY": "0.2", "CSMS_AUTH_FAILURE_LIMIT": "1000"}


@dataclass
class Ledger:
    """Everything the CSMS acknowledged (a CALLRESULT, a 2xx) before it was killed."""

    tokens: set[str] = field(default_factory=set)
    commands: dict[int, str] = field(default_factory=dict)  # command id -> station
    samples: dict[tuple[str, str], int] = field(default_factory=dict)  # (station, transaction) -> sampled values
    ended: set[tuple[str, str]] = field(default_factory=set)
    events: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # 2.0.1 (station, transaction) -> seqNos

    def count(self) -> int:
        return (len(self.tokens) + len(self.commands) + sum(self.samples.values()) + len(self.ended)
                + sum(len(seq) for seq in self.events.values()))


def _meter_value_16(transaction_id: int, energy: int) -> call16.MeterValues:
    sampled = [{"value": str(energy), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
               {"value": "7000", "measurand": "Power.Active.Import", "unit": "W"}]
    return call16.MeterValues(connector_id=1, transaction_id=transaction_id,
                              meter_value=[{"timestamp": _now(), "sampled_value": sampled}])


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


async def charge_16(server: LiveServer, cs_id: str, ledger: Ledger) -> None:
    """Boot, then transactions of three meter values each, until the connection breaks."""
    async with recording_station(server, cs_id, "1.6", boot=False) as station:  # answers our ClearCache commands
        await station.call(call16.BootNotification(charge_point_model="D1", charge_point_vendor="Durability"))
        for _ in itertools.count():
            started = await station.call(call16.StartTransaction(connector_id=1, id_tag=TOKEN, meter_start=0, timestamp=_now()))
            key = (cs_id, str(started.transaction_id))
            for energy in (100, 200, 300):
                await station.call(_meter_value_16(started.transaction_id, energy), suppress=False)
                ledger.samples[key] = ledger.samples.get(key, 0) + SAMPLES
            await station.call(call16.StopTransaction(meter_stop=400, timestamp=_now(), transaction_id=started.transaction_id))
            ledger.ended.add(key)


async def charge_201(server: LiveServer, cs_id: str, ledger: Ledger) -> None:
    """Boot, then transactions of a Started, two Updated and an Ended event, until the connection breaks."""
    async with recording_station(server, cs_id, "2.0.1", boot=False) as station:
        await station.call(call201.BootNotification(charging_station={"model": "D2", "vendor_name": "Durability"},
                                                    reason="PowerUp"))
        for number in itertools.count():
            key = (cs_id, f"{cs_id}-{number}-{random.randrange(10**9)}")
            for seq_no, event in enumerate(("Started", "Updated", "Updated", "Ended")):
                value = [{"timestamp": _now(), "sampled_value": [{"value": 100 * (seq_no + 1)}, {"value": 7000,
                          "measurand": "Power.Active.Import"}]}]
                await station.call(call201.TransactionEvent(
                    event_type=event, seq_no=seq_no, timestamp=_now(), trigger_reason="MeterValuePeriodic",
                    transaction_info={"transaction_id": key[1]}, evse={"id": 1, "connector_id": 1}, meter_value=value,
                ), suppress=False)
                ledger.events.setdefault(key, set()).add(seq_no)
                ledger.samples[key] = ledger.samples.get(key, 0) + SAMPLES
            ledger.ended.add(key)


async def operate(server: LiveServer, stations: list[str], ledger: Ledger, rng: random.Random) -> None:
    """API writes: tokens and typed commands, each kept once the API answered 2xx."""
    for number in itertools.count():
        uid = f"DURA-{number}-{rng.randrange(10**9)}"
        body = {"countryCode": "NL", "partyId": "TST", "type": "RFID", "uid": uid, "contractId": "NL-TST-C00000001",
                "issuer": "durability", "valid": True, "cacheMode": "ALWAYS"}
        response = await asyncio.to_thread(server.api, "POST", "/token", json=body)
        if response.status_code == 201:
            ledger.tokens.add(uid)
        cs_id = rng.choice(stations)
        response = await asyncio.to_thread(server.api, "POST", f"/cs/{cs_id}/clear-cache", json={})
        if response.status_code == 202:
            ledger.commands[response.json()["id"]] = cs_id


async def traffic_until_killed(server: LiveServer, stations: dict[str, str], ledger: Ledger, rng: random.Random) -> None:
    """Every station and the API client run until the server is killed at a random moment (0.5-2.5 s in)."""
    tasks = [asyncio.create_task((charge_16 if version == "1.6" else charge_201)(server, cs_id, ledger))
             for cs_id, version in stations.items()]
    tasks.append(asyncio.create_task(operate(server, list(stations), ledger, rng)))
    await asyncio.sleep(rng.uniform(0.5, 2.5))
    server.process.kill()
    server.process.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def missing(db_path: Path, ledger: Ledger) -> list[str]:
    """What was acknowledged but is not in the database."""
    db = sqlite3.connect(db_path, timeout=30)
    try:
        lost = [f"token {uid}" for uid in ledger.tokens
                if not db.execute("SELECT 1 FROM tokens WHERE uid = ?", [uid]).fetchone()]
        lost += [f"command {command_id}" for command_id in ledger.commands
                 if not db.execute("SELECT 1 FROM commands WHERE id = ?", [command_id]).fetchone()]
        for (cs_id, transaction_id), expected in ledger.samples.items():
            found = db.execute("SELECT count(*) FROM meter_values WHERE cs_id = ? AND transaction_id = ?",
                               [cs_id, transaction_id]).fetchone()[0]
            lost += [f"{expected - found} sampled values of {cs_id}/{transaction_id}"] if found < expected else []
        for cs_id, transaction_id in ledger.ended:
            row = db.execute("SELECT status FROM transactions WHERE cs_id = ? AND transaction_id = ?",
                             [cs_id, transaction_id]).fetchone()
            lost += [] if row and row[0] == "ended" else [f"the end of {cs_id}/{transaction_id}"]
        for (cs_id, transaction_id), seq_nos in ledger.events.items():
            stored = {row[0] for row in db.execute(
                "SELECT seq_no FROM transaction_events WHERE cs_id = ? AND transaction_id = ?", [cs_id, transaction_id])}
            lost += [f"event {seq} of {cs_id}/{transaction_id}" for seq in sorted(seq_nos - stored)]
        return lost
    finally:
        db.close()


async def deliver_queued(server: LiveServer, stations: dict[str, str], ledger: Ledger) -> list[str]:
    """Reconnect every station (it answers ClearCache Accepted) until each acknowledged command is completed; the
    commands that never completed."""
    wanted = {cs_id for cs_id in ledger.commands.values()}

    async def reconnect(cs_id: str) -> None:
        async with recording_station(server, cs_id, stations[cs_id]):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and _open_commands(server, cs_id, ledger):
                await asyncio.sleep(0.2)

    await asyncio.gather(*(reconnect(cs_id) for cs_id in wanted))
    return [f"command {command_id} never completed" for cs_id in wanted for command_id in _open_commands(server, cs_id, ledger)]


def _open_commands(server: LiveServer, cs_id: str, ledger: Ledger) -> list[int]:
    mine = [command_id for command_id, owner in ledger.commands.items() if owner == cs_id]
    listed = {c["id"]: c["status"] for c in requests.get(f"{server.api_url}/cs/{cs_id}/commands?limit=100", timeout=10).json()}
    return [command_id for command_id in mine if command_id in listed and listed[command_id] != "completed"]


def trial(directory: Path, seed: int) -> tuple[int, list[str]]:
    """One trial in `directory`: (messages and writes acknowledged, what was lost)."""
    rng = random.Random(seed)
    server = LiveServer.start(directory, ENV)
    stations = {f"DUR{version[0]}-{n}": version for version in ("1.6", "2.0.1") for n in range(STATIONS_PER_VERSION)}
    for cs_id in stations:
        server.register(cs_id)
    server.api("POST", "/token", json={"countryCode": "NL", "partyId": "TST", "type": "RFID", "uid": TOKEN,
                                       "contractId": "NL-TST-C00000001", "issuer": "durability", "valid": True,
                                       "cacheMode": "ALWAYS"})
    ledger = Ledger()
    asyncio.run(traffic_until_killed(server, stations, ledger, rng))
    restarted = LiveServer.start(directory, ENV)
    try:
        lost = missing(directory / "live.sqlite3", ledger)
        lost += asyncio.run(asyncio.wait_for(deliver_queued(restarted, stations, ledger), 60))
    finally:
        restarted.stop()
    return ledger.count(), lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    acknowledged, lost = 0, []
    for number in range(args.trials):
        with tempfile.TemporaryDirectory(prefix="csms-soak-") as folder, contextlib.suppress(KeyboardInterrupt):
            count, missing_now = trial(Path(folder), seed=number)
            acknowledged += count
            lost += missing_now
            print(f"trial {number + 1}: acknowledged {count}, lost {len(missing_now)} {missing_now[:3]}", flush=True)
    print(f"trials {args.trials}, acknowledged {acknowledged}, lost {len(lost)}")
    raise SystemExit(1 if lost else 0)


if __name__ == "__main__":
    main()
