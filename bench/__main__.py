"""Run the benchmark: `python -m bench [--stations N] [--idle M] [--duration S] [--rate R]` (loopback only)."""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"
LOAD_PROCESSES = 2


@dataclass
class Row:
    name: str
    stations: int
    msg_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    rss_mib: float | None = None
    cpu_percent: float | None = None


class Process:
    """A child process whose output goes to a file we poll for its banner."""

    def __init__(self, args: list[str], env: dict[str, str], output: Path) -> None:
        self.output = output
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output.open("w"), stderr=subprocess.STDOUT)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output.read_text(), re.M)
            if match:
                return match
            if self.popen.poll() is not None:
                raise RuntimeError(self.output.read_text())
            time.sleep(0.05)
        raise TimeoutError(self.output.read_text())

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.popen.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.popen.kill()


def register_stations(db_path: Path, count: int) -> None:
    """Write the stations straight into a fresh database (as POST /cs/{csId} would)."""
    sys.path.insert(0, str(ROOT))
    from storage import Store, utc_now_iso

    store = Store(db_path)
    digest = base64.b64encode(hashlib.sha256(PASSWORD.encode()).digest()).decode()
    now = utc_now_iso()
    rows = [
        {"id": f"BENCH-{i}", "security_profile": 0, "password_hash": digest, "invalid_username_allowed": 0,
         "created_at": now, "updated_at": now}
        for i in range(count)
    ]
    store.write(lambda db: db["stations"].insert_all(rows))
    store.close()


def start_csms(workdir: Path, compression: bool) -> tuple[Process, str]:
    env = os.environ | {
        "CSMS_DB": str(workdir / "bench.sqlite3"), "CSMS_API_PORT": "0", "CSMS_OCPI_PORT": "0", "CSMS_WS_PORT": "0",
        "CSMS_WSS_PORT": "0", "CSMS_WS_HOST": "127.0.0.1", "CSMS_LOG_LEVEL": "WARNING",
        "CSMS_WS_COMPRESSION": "on" if compression else "off",
    }
    process = Process([sys.executable, "app.py"], env, workdir / f"csms-{time.monotonic_ns()}.out")
    process.wait_for(r"^ready$")
    return process, process.wait_for(r"^listening ws (\S+)$").group(1)


def start_clients(url: str, stations: int, extra: list[str], processes: int | None = None) -> list[subprocess.Popen]:
    """Load processes sharing `stations`; returns once every one has connected and booted its share."""
    processes = processes or LOAD_PROCESSES
    share = stations // processes
    clients = []
    for n in range(processes):
        count = share if n < processes - 1 else stations - share * n
        args = [sys.executable, "-m", "bench.load", "--url", url, "--stations", str(count), "--first", str(n * share)]
        clients.append(subprocess.Popen(args + extra, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for client in clients:
        assert client.stdout is not None
        line = client.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError(f"load client failed: {line!r}")
    return clients


def finish_clients(clients: list[subprocess.Popen]) -> list[dict]:
    """Tell the waiting clients to go, and collect their JSON results."""
    for client in clients:
        assert client.stdin is not None
        client.stdin.write("go\n")
        client.stdin.flush()
    return [json.loads(client.communicate(timeout=300)[0].splitlines()[-1]) for client in clients]


def run_load(url: str, stations: int, duration: float, rate: float, boot: bool, server: Process, name: str) -> Row:
    """Heartbeats from `stations` over LOAD_PROCESSES clients; server CPU counted over the run only."""
    extra = ["--duration", str(duration), "--rate", str(rate / LOAD_PROCESSES if rate else 0)] + ([] if boot else ["--no-boot"])
    clients = start_clients(url, stations, extra)
    cpu_before, started = server.cpu_seconds(), time.monotonic()
    results = finish_clients(clients)
    cpu = 100 * (server.cpu_seconds() - cpu_before) / (time.monotonic() - started)
    latencies = sorted(value for result in results for value in result["latencies_ms"])
    sent = sum(result["sent"] for result in results)
    seconds = max(result["seconds"] for result in results)
    return Row(name, stations, sent / seconds, statistics.median(latencies), latencies[int(len(latencies) * 0.99)],
               server.rss_mib(), cpu)


def idle_row(workdir: Path, stations: int, compression: bool) -> Row:
    """Connect and boot `stations` (offering deflate), then read the server's RSS while they idle."""
    server, url = start_csms(workdir, compression)
    try:
        baseline = server.rss_mib()
        clients = start_clients(url, stations, ["--mode", "idle", "--compression", "deflate"], processes=1)
        time.sleep(2)
        rss = server.rss_mib()
        finish_clients(clients)
        name = f"idle, deflate {'on' if compression else 'off'} ({(rss - baseline) * 1024 / stations:.0f} KiB/station)"
        return Row(name, stations, rss_mib=rss)
    finally:
        server.stop()


def throughput_rows(workdir: Path, stations: int, duration: float, rate: float, repeat: int) -> list[Row]:
    """Echo and CSMS full-speed runs taken in turns, the best of `repeat` each (the box is shared: a burst of
    someone else's work lands on one run, not on both figures); then the fixed-rate run."""
    echo = Process([sys.executable, "-m", "bench.echo"], dict(os.environ), workdir / "echo.out")
    server, url = start_csms(workdir, compression=False)
    try:
        echo_url = echo.wait_for(r"^listening echo (\S+)$").group(1)
        echo_runs, csms_runs = [], []
        for _ in range(repeat):
            echo_runs.append(run_load(echo_url, stations, duration, 0, False, echo, "bare echo (gevent + simple-websocket)"))
            csms_runs.append(run_load(url, stations, duration, 0, True, server, "CSMS Heartbeat, full speed"))
        fixed = run_load(url, stations, duration, rate, True, server, f"CSMS Heartbeat, {rate:.0f} msg/s")
        return [max(echo_runs, key=_rate), max(csms_runs, key=_rate), fixed]
    finally:
        echo.stop()
        server.stop()


def _rate(row: Row) -> float:
    return row.msg_per_s or 0.0


def print_table(rows: list[Row]) -> None:
    def cell(value: float | None, digits: int = 1) -> str:
        return "" if value is None else f"{value:,.{digits}f}"

    header = ["run", "stations", "msg/s", "p50 ms", "p99 ms", "server RSS MiB", "server CPU %"]
    lines = [[row.name, str(row.stations), cell(row.msg_per_s, 0), cell(row.p50_ms, 2), cell(row.p99_ms, 2),
              cell(row.rss_mib), cell(row.cpu_percent, 0)] for row in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    for line in [header, ["-" * width for width in widths], *lines]:
        print("| " + " | ".join(text.ljust(width) for text, width in zip(line, widths)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=int, default=int(os.environ.get("BENCH_STATIONS", 1000)))
    parser.add_argument("--idle", type=int, default=int(os.environ.get("BENCH_IDLE", 5000)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_RATE", 1000)),
                        help="msg/s of the fixed-rate run")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 2)),
                        help="full-speed runs of each server, best kept")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="csms-bench-") as tmp:
        workdir = Path(tmp)
        register_stations(workdir / "bench.sqlite3", max(args.stations, args.idle))
        rows.extend(throughput_rows(workdir, args.stations, args.duration, args.rate, args.repeat))
        rows.append(idle_row(workdir, args.idle, compression=True))
        rows.append(idle_row(workdir, args.idle, compression=False))
    print_table(rows)
    if rows[0].msg_per_s:
        print(f"\nHeartbeat round trips / bare echo: {rows[1].msg_per_s / rows[0].msg_per_s:.2f}x")


if __name__ == "__main__":
    main()
