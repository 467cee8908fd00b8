"""The load client (its own process): asyncio `websockets` stations that connect, boot and send one kind of message.

Modes (every one bounded by --duration once started):
- heartbeat: OCPP 1.6 Heartbeats.
- meter16: OCPP 1.6; set-up boots and sends StartTransaction (a token the CSMS does not know: the transaction is
  stored anyway), then MeterValues with 10 sampled values linked to that transactionId.
- txevent201: OCPP 2.0.1; set-up boots and sends TransactionEvent Started (seqNo 0), then Updated events
  (MeterValuePeriodic, 4 sampled values, seqNo 1, 2, ...) for the station's own transactionId.
- idle: connect and boot, then close when told.
With --no-boot (the echo server) there is no set-up: the same frames are sent with a made-up transaction id.

Prints `READY` once every station is connected and set up, waits for a line on stdin, then runs and prints one
JSON line: {"sent", "errors", "seconds", "setup_messages", "latencies_ms": sample}.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import sys
import time
from datetime import datetime, timezone

import websockets

BOOT_16 = [2, "boot", "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "B1"}]
BOOT_201 = [2, "boot", "BootNotification", {"chargingStation": {"model": "B1", "vendorName": "Bench"}, "reason": "PowerUp"}]
CONNECT_CONCURRENCY = 100
SAMPLE_LIMIT = 200_000
SETUP_TIMEOUT = 120  # seconds for every station to connect and finish its set-up
SUBPROTOCOL = {"heartbeat": "ocpp1.6", "meter16": "ocpp1.6", "idle": "ocpp1.6", "txevent201": "ocpp2.0.1"}


def auth_headers(cs_id: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{cs_id}:{password}".encode()).decode()}


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Stats:
    def __init__(self) -> None:
        self.sent = 0
        self.errors = 0
        self.latencies: list[float] = []

    def record(self, seconds: float) -> None:
        self.sent += 1
        if len(self.latencies) < SAMPLE_LIMIT:
            self.latencies.append(seconds * 1000)
        else:  # keep a uniform sample of every round trip
            slot = random.randrange(self.sent)
            if slot < SAMPLE_LIMIT:
                self.latencies[slot] = seconds * 1000


def meter_values_16(index: int, transaction_id: int, timestamp: str):
    """A frame maker: MeterValues with 10 sampled values (valid 1.6), the energy register rising."""
    head = f'[2,"{index}-'
    middle = (
        f'","MeterValues",{{"connectorId":1,"transactionId":{transaction_id},"meterValue":[{{"timestamp":"{timestamp}",'
        '"sampledValue":[{"value":"'
    )
    tail = (
        '","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},'
        '{"value":"7245.1","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},'
        '{"value":"10.51","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},'
        '{"value":"10.48","context":"Sample.Periodic","measurand":"Current.Import","phase":"L2","unit":"A"},'
        '{"value":"10.53","context":"Sample.Periodic","measurand":"Current.Import","phase":"L3","unit":"A"},'
        '{"value":"229.8","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"},'
        '{"value":"230.4","context":"Sample.Periodic","measurand":"Voltage","phase":"L2-N","unit":"V"},'
        '{"value":"231.0","context":"Sample.Periodic","measurand":"Voltage","phase":"L3-N","unit":"V"},'
        '{"value":"57","context":"Sample.Periodic","measurand":"SoC","location":"EV","unit":"Percent"},'
        '{"value":"31.5","context":"Sample.Periodic","measurand":"Temperature","location":"Body","unit":"Celsius"}'
        "]}]}]"
    )
    return lambda n: f"{head}{n}{middle}{1000 + n * 2}{tail}"


def transaction_event_started(transaction_id: str, timestamp: str) -> str:
    return json.dumps([2, "start", "TransactionEvent", {
        "eventType": "Started", "timestamp": timestamp, "triggerReason": "CablePluggedIn", "seqNo": 0,
        "transactionInfo": {"transactionId": transaction_id, "chargingState": "EVConnected"},
        "evse": {"id": 1, "connectorId": 1}, "idToken": {"idToken": "BENCH-TOKEN", "type": "ISO14443"},
    }], separators=(",", ":"))


def transaction_event_updated(index: int, transaction_id: str, timestamp: str):
    """A frame maker: TransactionEvent Updated, seqNo n, 4 sampled values (valid 2.0.1)."""
    head = f'[2,"{index}-'
    middle = (
        f'","TransactionEvent",{{"eventType":"Updated","timestamp":"{timestamp}","triggerReason":"MeterValuePeriodic",'
        '"seqNo":'
    )
    middle2 = (
        f',"transactionInfo":{{"transactionId":"{transaction_id}","chargingState":"Charging"}},'
        f'"meterValue":[{{"timestamp":"{timestamp}","sampledValue":[{{"value":'
    )
    tail = (
        ',"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},'
        '{"value":7245.1,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W"}},'
        '{"value":10.51,"context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unitOfMeasure":{"unit":"A"}},'
        '{"value":57,"context":"Sample.Periodic","measurand":"SoC","location":"EV","unitOfMeasure":{"unit":"Percent"}}'
        "]}]}]"
    )
    return lambda n: f"{head}{n}{middle}{n}{middle2}{1000 + n * 2}{tail}"


async def _call(ws, frame: str) -> list:
    await ws.send(frame)
    answer = json.loads(await ws.recv())
    if answer[0] != 3:
        raise RuntimeError(f"set-up call refused: {frame[:120]} -> {answer}")
    return answer


async def open_station(args: argparse.Namespace, index: int, cs_id: str, gate: asyncio.Semaphore, run_id: str):
    """Connect (and set up); returns (websocket, frame maker or None)."""
    async with gate:
        ws = await websockets.connect(
            f"{args.url}/{cs_id}", subprotocols=[SUBPROTOCOL[args.mode]], additional_headers=auth_headers(cs_id, args.password),
            compression=args.compression, ping_interval=None, open_timeout=60, max_queue=4,
        )
        timestamp = _now_iso()
        if args.mode == "heartbeat":
            if args.boot:
                await _call(ws, json.dumps(BOOT_16))
            return ws, lambda n: f'[2,"{index}-{n}","Heartbeat",{{}}]'
        if args.mode == "meter16":
            transaction_id = index + 1
            if args.boot:
                await _call(ws, json.dumps(BOOT_16))
                start = [2, "start", "StartTransaction", {"connectorId": 1, "idTag": f"BENCH-{run_id[-10:]}",
                                                          "meterStart": 1000, "timestamp": timestamp}]
                transaction_id = (await _call(ws, json.dumps(start)))[2]["transactionId"]
            return ws, meter_values_16(index, transaction_id, timestamp)
        if args.mode == "txevent201":
            transaction_id = f"{cs_id}-{run_id}"
            if args.boot:
                await _call(ws, json.dumps(BOOT_201))
                await _call(ws, transaction_event_started(transaction_id, timestamp))
            return ws, transaction_event_updated(index, transaction_id, timestamp)
        if args.boot:  # idle
            await _call(ws, json.dumps(BOOT_16))
        return ws, None


async def drive(ws, frame, stats: Stats, until: float, period: float | None) -> None:
    n = 0
    next_at = time.monotonic() + (random.random() * period if period else 0)
    while time.monotonic() < until:
        if period:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += period
        n += 1
        started = time.perf_counter()
        await ws.send(frame(n))
        answer = await ws.recv()
        stats.record(time.perf_counter() - started)
        if answer.startswith("[4"):  # a CALLERROR: counted (the bench reports it), never hidden
            stats.errors += 1


async def run(args: argparse.Namespace) -> dict:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    run_id = f"{time.time_ns():x}"
    ids = [f"{args.prefix}{i}" for i in range(args.first, args.first + args.stations)]
    stations = await asyncio.wait_for(
        asyncio.gather(*(open_station(args, args.first + i, cs_id, gate, run_id) for i, cs_id in enumerate(ids))),
        SETUP_TIMEOUT,
    )
    sockets = [ws for ws, _ in stations]
    setup_messages = 0 if not args.boot else len(ids) * {"meter16": 2, "txevent201": 2}.get(args.mode, 1)
    stats = Stats()
    print("READY", flush=True)  # every station connected and set up; the run starts on a line on stdin
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    try:
        if args.mode == "idle":
            return {"sent": 0, "errors": 0, "seconds": 0, "setup_messages": setup_messages, "latencies_ms": []}
        period = args.stations / args.rate if args.rate else None
        started = time.monotonic()
        until = started + args.duration
        await asyncio.gather(*(drive(ws, frame, stats, until, period) for ws, frame in stations))
        elapsed = time.monotonic() - started
        return {"sent": stats.sent, "errors": stats.errors, "seconds": elapsed, "setup_messages": setup_messages,
                "latencies_ms": stats.latencies}
    finally:
        await asyncio.wait_for(asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True), 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--mode", choices=tuple(SUBPROTOCOL), default="heartbeat")
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--prefix", default="BENCH-")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rate", type=float, default=0, help="total msg/s; 0 = as fast as answers come")
    parser.add_argument("--compression", default=None, help="'deflate' to offer permessage-deflate")
    parser.add_argument("--no-boot", dest="boot", action="store_false", help="no set-up (the echo server)")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
