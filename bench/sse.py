"""The dashboard's browsers in the bench (its own process): N Server-Sent Event streams held open and read.

`python -m bench.sse --url http://HOST:PORT --browsers 50 --station-prefix BENCH-` opens half the streams on the
station list's feed (`/live`) and half on one station page's feed each (`/live?station=BENCH-<i>`: its frames live),
prints `READY` once every stream answered, reads until a line arrives on stdin, then prints one JSON line:
{"streams", "events", "megabytes", "seconds"}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from urllib.parse import quote, urlsplit


class Counts:
    def __init__(self) -> None:
        self.events = 0
        self.bytes = 0


async def open_stream(host: str, port: int, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"GET {path}: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    return reader, writer


async def read_stream(reader: asyncio.StreamReader, counts: Counts) -> None:
    while chunk := await reader.read(65536):
        counts.bytes += len(chunk)
        counts.events += chunk.count(b"\nevent: ") + chunk.startswith(b"event: ")


async def run(args: argparse.Namespace) -> dict:
    url = urlsplit(args.url)
    paths = ["/live" if n % 2 == 0 else f"/live?station={quote(args.station_prefix + str(n))}" for n in range(args.browsers)]
    streams = await asyncio.gather(*(open_stream(url.hostname, url.port, path) for path in paths))
    counts = Counts()
    readers = [asyncio.create_task(read_stream(reader, counts)) for reader, _ in streams]
    print("READY", flush=True)
    started = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    seconds = time.monotonic() - started
    for task in readers:
        task.cancel()
    for _, writer in streams:
        writer.close()
    return {"streams": len(streams), "events": counts.events, "megabytes": counts.bytes / 1e6, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the dashboard's base URL (the API port, without /api/v0)")
    parser.add_argument("--browsers", type=int, default=50)
    parser.add_argument("--station-prefix", default="BENCH-")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
