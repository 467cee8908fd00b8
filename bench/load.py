"""The load client (its own process): asyncio `websockets` stations that connect, boot and send Heartbeats.

Prints `READY` once every station is connected and booted, waits for a line on stdin, then runs (heartbeat mode) or
just closes (idle mode) and prints one JSON line: {"sent", "seconds", "latencies_ms": sample}.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import sys
import time

import websockets

BOOT = [2, "boot", "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "B1"}]
CONNECT_CONCURRENCY = 100
SAMPLE_LIMIT = 200_000


def _auth(cs_id: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{cs_id}:{password}".encode()).decode()}


class Stats:
    def __init__(self) -> None:
        self.sent = 0
        self.latencies: list[float] = []

    def record(self, seconds: float) -> None:
        self.sent += 1
        if len(self.latencies) < SAMPLE_LIMIT:
            self.latencies.append(seconds * 1000)
        else:  # keep a uniform sample of every round trip
            slot = random.randrange(self.sent)
            if slot < SAMPLE_LIMIT:
                self.latencies[slot] = seconds * 1000


async def open_station(url: str, cs_id: str, password: str, compression: str | None, gate: asyncio.Semaphore, boot: bool):
    async with gate:
        ws = await websockets.connect(
            f"{url}/{cs_id}", subprotocols=["ocpp1.6"], additional_headers=_auth(cs_id, password),
            compression=compression, ping_interval=None, open_timeout=60, max_queue=4,
        )
        if boot:
            await ws.send(json.dumps(BOOT))
            await ws.recv()
        return ws


async def heartbeats(ws, index: int, stats: Stats, until: float, period: float | None) -> None:
    n = 0
    next_at = time.monotonic() + (random.random() * period if period else 0)
    while time.monotonic() < until:
        if period:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += period
        n += 1
        started = time.perf_counter()
        await ws.send(f'[2,"{index}-{n}","Heartbeat",{{}}]')
        await ws.recv()
        stats.record(time.perf_counter() - started)


async def run(args: argparse.Namespace) -> dict:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    ids = [f"{args.prefix}{i}" for i in range(args.first, args.first + args.stations)]
    sockets = await asyncio.gather(
        *(open_station(args.url, cs_id, args.password, args.compression, gate, args.boot) for cs_id in ids)
    )
    stats = Stats()
    print("READY", flush=True)  # every station connected and booted; the run starts on a line on stdin
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if args.mode == "heartbeat":
        period = args.stations / args.rate if args.rate else None
        started = time.monotonic()
        until = started + args.duration
        await asyncio.gather(*(heartbeats(ws, i, stats, until, period) for i, ws in enumerate(sockets)))
        elapsed = time.monotonic() - started
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        return {"sent": stats.sent, "seconds": elapsed, "latencies_ms": stats.latencies}
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {"sent": 0, "seconds": 0, "latencies_ms": []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--mode", choices=("heartbeat", "idle"), default="heartbeat")
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--prefix", default="BENCH-")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rate", type=float, default=0, help="total msg/s; 0 = as fast as answers come")
    parser.add_argument("--compression", default=None, help="'deflate' to offer permessage-deflate")
    parser.add_argument("--no-boot", dest="boot", action="store_false")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
