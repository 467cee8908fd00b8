"""The API client of the bench (its own process): GETs a big transaction's detail and meter value pages back to back.

`python -m bench.api_reads --url http://HOST:PORT/api/v0 --transaction ID --values N` prints `READY` after its first
answers, reads until a line arrives on stdin, then prints one JSON line: {"requests", "megabytes", "seconds",
"p50_ms", "p99_ms", "slowest_ms"} (every request timed, one keep-alive connection).
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

PAGE = 1000


def paths(transaction: str, values: int):
    """The detail, then a page further into the transaction, in turns, wrapping around at the end."""
    offset = 0
    while True:
        yield f"/transactions/{transaction}"
        yield f"/transactions/{transaction}/meterValues?offset={offset}&limit={PAGE}"
        offset = (offset + PAGE) % max(values, PAGE)


def get(conn: http.client.HTTPConnection, prefix: str, path: str) -> int:
    conn.request("GET", prefix + path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200 or body[:1] not in (b"[", b"{"):
        raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    return len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--transaction", required=True)
    parser.add_argument("--values", type=int, required=True, help="meter values of the transaction")
    args = parser.parse_args()
    url = urlsplit(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    latencies, size = [], 0
    started = time.monotonic()
    for number, path in enumerate(paths(args.transaction, args.values)):
        if stop.is_set():
            break
        begun = time.perf_counter()
        size += get(conn, url.path, path)
        latencies.append((time.perf_counter() - begun) * 1000)
        if number == 1:
            print("READY", flush=True)
    latencies.sort()
    print(json.dumps({
        "requests": len(latencies), "megabytes": size / 1e6, "seconds": time.monotonic() - started,
        "p50_ms": latencies[len(latencies) // 2], "p99_ms": latencies[int(len(latencies) * 0.99)],
        "slowest_ms": latencies[-1],
    }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
