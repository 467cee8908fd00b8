"""Run the benchmark: `python -m bench [--stations N] [--idle M] [--duration S] [--rate R] [--repeat K] [--only api-reads]`
(loopback only)."""
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
# The API rows' transaction: two days of a 10-measurand meter every 10 s, on a station of its own.
API_STATION, API_TRANSACTION, API_VALUES = "BENCH-API", "BENCH-API-1", 150_000
API_READS_TARGET = 1.5  # Heartbeat p99 with the API client / without, at most
LIST_STATIONS = 5000  # the dashboard's station list is rendered with this many stations
SSE_BROWSERS = 50
DASHBOARD_TARGET = 0.9  # Heartbeat throughput with the browsers' live feed / without, at least
SIGNING_STATIONS, SIGNING_PREFIX = 200, "SIGN-"
SIGNING_P99_TARGET_MS = 50  # Heartbeat p99 while SIGNING_STATIONS stations sign at once, at most


@dataclass
class Row:
    name: str
    stations: int
    msg_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    rss_mib: float | None = None
    cpu_percent: float | None = None
    note: str = ""


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


def register_stations(db_path: Path, count: int, prefix: str = "BENCH-") -> None:
    """Write the stations straight into a fresh database (as POST /cs/{csId} would)."""
    sys.path.insert(0, str(ROOT))
    from storage import Store, utc_now_iso

    store = Store(db_path)
    digest = base64.b64encode(hashlib.sha256(PASSWORD.encode()).digest()).decode()
    now = utc_now_iso()
    rows = [
        {"id": f"{prefix}{i}", "security_profile": 0, "password_hash": digest, "invalid_username_allowed": 0,
         "created_at": now, "updated_at": now}
        for i in range(count)
    ]
    store.write(lambda db: db["stations"].insert_all(rows))
    store.close()


def add_big_transaction(db_path: Path) -> None:
    """The API rows' station and transaction with API_VALUES meter values, written straight into the database (as the
    handlers would have stored them)."""
    sys.path.insert(0, str(ROOT))
    from storage import Store, utc_now_iso
    from storage.meter_values import insert_meter_values

    now = utc_now_iso()
    samples = [{"timestamp": now, "value": str(n), "value_number": float(n), "context": "Sample.Periodic",
                "measurand": "Energy.Active.Import.Register", "unit": "Wh"} for n in range(API_VALUES)]

    def job(db) -> None:
        db["stations"].insert({"id": API_STATION, "security_profile": 0, "invalid_username_allowed": 0,
                               "created_at": now, "updated_at": now})
        db["transactions"].insert({"cs_id": API_STATION, "transaction_id": API_TRANSACTION, "evse_id": 1,
                                   "connector_id": 1, "status": "active", "started_at": now, "meter_start": 0})
        insert_meter_values(db, API_STATION, samples, 1, 1, API_TRANSACTION)

    store = Store(db_path)
    store.write(job)
    store.close()


def start_csms(workdir: Path, compression: bool, settings: dict[str, str] | None = None) -> tuple[Process, str]:
    env = os.environ | (settings or {}) | {
        "CSMS_DB": str(workdir / "bench.sqlite3"), "CSMS_API_PORT": "0", "CSMS_OCPI_PORT": "0", "CSMS_WS_PORT": "0",
        "CSMS_WSS_PORT": "0", "CSMS_WS_HOST": "127.0.0.1", "CSMS_LOG_LEVEL": "WARNING",
        "CSMS_WS_COMPRESSION": "on" if compression else "off",
    }
    process = Process([sys.executable, "app.py"], env, workdir / f"csms-{time.monotonic_ns()}.out")
    process.wait_for(r"^ready$")
    return process, process.wait_for(r"^listening ws (\S+)$").group(1)


CLIENTS: list[subprocess.Popen] = []  # every load process started, killed at exit whatever happened


def start_clients(url: str, stations: int, extra: list[str], processes: int | None = None) -> list[subprocess.Popen]:
    """Load processes sharing `stations`; returns once every one has connected and set up its share."""
    processes = processes or LOAD_PROCESSES
    share = stations // processes
    clients = []
    for n in range(processes):
        count = share if n < processes - 1 else stations - share * n
        args = [sys.executable, "-m", "bench.load", "--url", url, "--stations", str(count), "--first", str(n * share)]
        client = subprocess.Popen(args + extra, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        clients.append(client)
        CLIENTS.append(client)
    for client in clients:
        assert client.stdout is not None
        line = client.stdout.readline().strip()  # the client gives up its set-up after load.SETUP_TIMEOUT
        if line != "READY":
            raise RuntimeError(f"load client failed: {line!r}")
    return clients


def finish_clients(clients: list[subprocess.Popen], timeout: float) -> list[dict]:
    """Tell the waiting clients to go, and collect their JSON results."""
    for client in clients:
        assert client.stdin is not None
        client.stdin.write("go\n")
        client.stdin.flush()
    return [json.loads(client.communicate(timeout=timeout)[0].splitlines()[-1]) for client in clients]


def kill_clients() -> None:
    for client in CLIENTS:
        if client.poll() is None:
            client.kill()
            client.wait(timeout=10)


def count_rows(db_path: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows per table, read through a fresh read-only connection (WAL: sees every committed batch)."""
    import sqlite3

    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    finally:
        db.close()


@dataclass
class Load:
    """One kind of traffic: the load client's mode and what each timed message must leave in the database."""
    mode: str
    label: str  # short, for the echo and reference rows and the ratios
    csms_name: str  # the CSMS row
    rows_per_message: dict[str, int]  # table -> rows each answered message adds (the set-up's rows excluded)
    setup_rows: dict[str, int]  # table -> rows each station's set-up adds


HEARTBEAT = Load("heartbeat", "Heartbeat", "CSMS Heartbeat, full speed", {}, {})
METER16 = Load("meter16", "1.6 MeterValues", "CSMS 1.6 MeterValues (10 sampled values, persisted)", {"meter_values": 10},
               {})
TXEVENT = Load("txevent201", "2.0.1 TransactionEvent", "CSMS 2.0.1 TransactionEvent (persisted)",
               {"transaction_events": 1, "meter_values": 4}, {"transaction_events": 1})


def run_load(url: str, stations: int, duration: float, rate: float, boot: bool, server: Process, name: str,
             load: Load = HEARTBEAT, db_path: Path | None = None) -> Row:
    """`load` from `stations` over LOAD_PROCESSES clients; server CPU counted over the timed run only. With
    `db_path`, the rows the run added are counted and checked against the answered messages."""
    extra = ["--mode", load.mode, "--duration", str(duration), "--rate", str(rate / LOAD_PROCESSES if rate else 0)]
    extra += [] if boot else ["--no-boot"]
    tables = tuple(load.rows_per_message)
    before = count_rows(db_path, tables) if db_path and tables else {}
    clients = start_clients(url, stations, extra)
    cpu_before, started = server.cpu_seconds(), time.monotonic()
    results = finish_clients(clients, timeout=duration + 120)
    row = load_row(name, stations, results, server, cpu_before, started)
    sent = sum(result["sent"] for result in results)
    if before:
        after = count_rows(db_path, tables)
        found = {table: after[table] - before[table] for table in tables}
        expected = {table: sent * per + stations * load.setup_rows.get(table, 0)
                    for table, per in load.rows_per_message.items()}
        row.note = f"{name}: {sent:,} messages -> " + ", ".join(
            f"{table} +{found[table]:,} rows (expected {expected[table]:,})" for table in tables)
        if found != expected:
            raise RuntimeError(f"persisted rows do not match the answered messages: {row.note}")
    return row


def load_row(name: str, stations: int, results: list[dict], server: Process, cpu_before: float, started: float) -> Row:
    """The row of load clients' results; server CPU since `cpu_before` taken at `started`. A CALLERROR fails it."""
    cpu = 100 * (server.cpu_seconds() - cpu_before) / (time.monotonic() - started)
    latencies = sorted(value for result in results for value in result["latencies_ms"])
    sent = sum(result["sent"] for result in results)
    errors = sum(result["errors"] for result in results)
    seconds = max(result["seconds"] for result in results)
    if errors:
        raise RuntimeError(f"{name}: {errors} of {sent} messages answered with a CALLERROR")
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
        finish_clients(clients, timeout=60)
        name = f"idle, deflate {'on' if compression else 'off'} ({(rss - baseline) * 1024 / stations:.0f} KiB/station)"
        return Row(name, stations, rss_mib=rss)
    finally:
        server.stop()


def start_reference(workdir: Path) -> tuple[Process, str]:
    """bench/reference_csms.py (the `ocpp` package's ChargePoint + sqlite3), on a database of its own."""
    db_path = workdir / "reference.sqlite3"
    process = Process([sys.executable, "-m", "bench.reference_csms", str(db_path)], dict(os.environ),
                      workdir / "reference.out")
    return process, process.wait_for(r"^listening reference (\S+)$").group(1)


ECHO = "bare echo (gevent + simple-websocket)"
REFERENCE = "ocpp ChargePoint CSMS (asyncio + sqlite3)"
# (load, with the reference too) in the order each round runs them
LOADS = ((HEARTBEAT, True), (METER16, True), (TXEVENT, False))


def throughput_rows(workdir: Path, stations: int, duration: float, rate: float, repeat: int) -> dict[str, Row]:
    """Echo, CSMS and reference full-speed runs taken in turns for each load, the best of `repeat` each (the box is
    shared: a burst of someone else's work lands on one run, not on every figure); then the fixed-rate run.
    The echo server gets the same frames as the CSMS (it sends each one back)."""
    echo = Process([sys.executable, "-m", "bench.echo"], dict(os.environ), workdir / "echo.out")
    server = reference = None
    try:
        server, url = start_csms(workdir, compression=False)
        reference, reference_url = start_reference(workdir)
        echo_url = echo.wait_for(r"^listening echo (\S+)$").group(1)
        csms_db, reference_db = workdir / "bench.sqlite3", workdir / "reference.sqlite3"
        runs: dict[str, list[Row]] = {}
        for _ in range(repeat):
            for load, with_reference in LOADS:
                heartbeat = load is HEARTBEAT
                echo_name = ECHO if heartbeat else f"bare echo, {load.label} frames"
                reference_name = f"{REFERENCE}, Heartbeat" if heartbeat else f"ocpp ChargePoint CSMS, {load.label}"
                runs.setdefault(f"echo {load.mode}", []).append(
                    run_load(echo_url, stations, duration, 0, False, echo, echo_name, load))
                runs.setdefault(f"csms {load.mode}", []).append(
                    run_load(url, stations, duration, 0, True, server, load.csms_name, load, csms_db))
                if with_reference:
                    runs.setdefault(f"reference {load.mode}", []).append(
                        run_load(reference_url, stations, duration, 0, True, reference, reference_name, load,
                                 reference_db))
        best = {key: max(rows, key=_rate) for key, rows in runs.items()}
        best["fixed"] = run_load(url, stations, duration, rate, True, server, f"CSMS Heartbeat, {rate:.0f} msg/s")
        return best
    finally:
        kill_clients()
        for process in (echo, server, reference):
            if process is not None:
                process.stop()


def start_api_reader(server: Process) -> subprocess.Popen:
    """bench/api_reads.py looping over the big transaction's detail and pages; returns once it has its first answers."""
    api_url = server.wait_for(r"^listening api (\S+)$").group(1).replace("0.0.0.0", "127.0.0.1")
    args = [sys.executable, "-m", "bench.api_reads", "--url", api_url, "--transaction", API_TRANSACTION,
            "--values", str(API_VALUES)]
    reader = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    CLIENTS.append(reader)
    assert reader.stdout is not None
    if (line := reader.stdout.readline().strip()) != "READY":
        raise RuntimeError(f"API reader failed: {line!r}")
    return reader


def api_read_rows(workdir: Path, stations: int, duration: float, rate: float) -> list[Row]:
    """Heartbeats at a fixed rate, alone and then while an API client loops over a big transaction's detail and meter
    value pages (GETs back to back, one connection), on one server."""
    server, url = start_csms(workdir, compression=False)
    try:
        name = f"CSMS Heartbeat, {rate:.0f} msg/s"
        quiet = run_load(url, stations, duration, rate, True, server, f"{name}, API idle")
        reader = start_api_reader(server)
        busy = run_load(url, stations, duration, rate, True, server, f"{name}, API client looping over big reads")
        out, _ = reader.communicate("stop\n", timeout=120)
        reads = json.loads(out.splitlines()[-1])
        busy.note = (f"API client during the Heartbeat run: {reads['requests'] / reads['seconds']:,.1f} GETs/s "
                     f"({reads['megabytes'] / reads['seconds']:,.1f} MB/s; transaction detail and meterValues pages of "
                     f"1,000 of {API_VALUES:,} values, in turns), p50 {reads['p50_ms']:.1f} ms, p99 "
                     f"{reads['p99_ms']:.1f} ms, slowest {reads['slowest_ms']:.1f} ms")
        return [quiet, busy]
    finally:
        kill_clients()
        server.stop()


def signing_rows(workdir: Path, stations: int, duration: float, rate: float) -> list[Row]:
    """SIGNING_STATIONS stations send SignCertificate at the same moment while `stations` others send Heartbeats at a
    fixed rate, on one server: each signer must get its CertificateSigned; the Heartbeats' p99 is the row's."""
    server, url = start_csms(workdir, compression=False)
    try:
        heartbeats = start_clients(url, stations, ["--mode", "heartbeat", "--duration", str(duration), "--rate",
                                                   str(rate / LOAD_PROCESSES)])
        signers = subprocess.Popen(
            [sys.executable, "-m", "bench.signing", "--url", url, "--stations", str(SIGNING_STATIONS), "--prefix",
             SIGNING_PREFIX, "--password", PASSWORD], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        CLIENTS.append(signers)
        assert signers.stdout is not None
        if (line := signers.stdout.readline().strip()) != "READY":
            raise RuntimeError(f"signing client failed: {line!r}")
        cpu_before, started = server.cpu_seconds(), time.monotonic()
        signers.stdin.write("go\n")  # type: ignore[union-attr]
        signers.stdin.flush()  # type: ignore[union-attr]
        results = finish_clients(heartbeats, timeout=duration + 120)
        signed = json.loads(signers.communicate(timeout=180)[0].splitlines()[-1])
        name = f"CSMS Heartbeat, {rate:.0f} msg/s, while {SIGNING_STATIONS} stations sign"
        row = load_row(name, stations, results, server, cpu_before, started)
        row.note = (f"Signing storm: {signed['signed']} of {signed['stations']} stations got their CertificateSigned "
                    f"({signed['rejected']} rejected, {signed['errors']} errors) within {signed['seconds']:.2f} s; "
                    f"SignCertificate → CertificateSigned p50 {signed['p50_ms']:.0f} ms, p99 {signed['p99_ms']:.0f} ms")
        if signed["signed"] != SIGNING_STATIONS:
            raise RuntimeError(row.note)
        return [row]
    finally:
        kill_clients()
        server.stop()


def print_signing(row: Row) -> None:
    print(f"\nSigning storm: Heartbeat p99 {row.p99_ms:.2f} ms while {SIGNING_STATIONS} stations signed "
          f"(target < {SIGNING_P99_TARGET_MS} ms)")


def print_api_read_ratio(quiet: Row, busy: Row) -> None:
    ratio = (busy.p99_ms or 0) / (quiet.p99_ms or 1)
    print("\nAPI reads (same server, same fixed Heartbeat rate, back to back):")
    print(f"- Heartbeat p99 while the API client reads / without: {busy.p99_ms:.2f} / {quiet.p99_ms:.2f} ms = "
          f"{ratio:.2f}x (target <= {API_READS_TARGET}x)")


def add_connectors(db_path: Path, count: int) -> None:
    """Two Available connectors for each of the first `count` bench stations (what their StatusNotifications store)."""
    sys.path.insert(0, str(ROOT))
    from storage import Store, utc_now_iso

    now = utc_now_iso()
    rows = [{"cs_id": f"BENCH-{i}", "evse_id": evse, "connector_id": 1, "status": "Available", "error_code": "NoError",
             "updated_at": now} for i in range(count) for evse in (1, 2)]  # fmt: skip
    store = Store(db_path)
    store.write(lambda db: db["connectors"].insert_all(rows))
    store.close()


def start_sse_browsers(server: Process, browsers: int) -> subprocess.Popen:
    """bench/sse.py holding `browsers` event streams open; returns once every one answered."""
    base = server.wait_for(r"^listening api (\S+)$").group(1).removesuffix("/api/v0")
    args = [sys.executable, "-m", "bench.sse", "--url", base, "--browsers", str(browsers)]
    client = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    CLIENTS.append(client)
    assert client.stdout is not None
    if (line := client.stdout.readline().strip()) != "READY":
        raise RuntimeError(f"SSE browsers failed: {line!r}")
    return client


def station_list_row(server: Process, stations: int, requests: int = 7) -> Row:
    """GET / (the station list, every station with its connectors) back to back: the median and the slowest answer."""
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(server.wait_for(r"^listening api (\S+)$").group(1))
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    times, size = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        conn.request("GET", "/")
        response = conn.getresponse()
        size = len(response.read())
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"GET /: {response.status}")
    times.sort()
    row = Row(f"dashboard: GET / with {stations:,} stations (ms a page)", stations, p50_ms=statistics.median(times),
              p99_ms=times[-1], rss_mib=server.rss_mib())
    row.note = f"station list: {size / 1e6:.1f} MB of HTML, {requests} GETs, median {row.p50_ms:.0f} ms (target < 300 ms)"
    return row


def dashboard_rows(workdir: Path, stations: int, duration: float, repeat: int, browsers: int) -> list[Row]:
    """Heartbeats at full speed with the frame log off, on, and on with `browsers` SSE streams open (half on the
    station list, half each on a busy station's page), in turns, the best of `repeat` each; then the list's render."""
    quiet, url_quiet = start_csms(workdir, compression=False, settings={"CSMS_FRAME_LOG": "off"})
    logged, url = start_csms(workdir, compression=False)
    runs: dict[str, list[Row]] = {}
    try:
        for _ in range(repeat):
            runs.setdefault("off", []).append(
                run_load(url_quiet, stations, duration, 0, True, quiet, "CSMS Heartbeat, frame log off"))
            runs.setdefault("on", []).append(
                run_load(url, stations, duration, 0, True, logged, "CSMS Heartbeat, frame log on"))
            sse = start_sse_browsers(logged, browsers)
            row = run_load(url, stations, duration, 0, True, logged, f"CSMS Heartbeat, frame log on, {browsers} browsers")
            out, _ = sse.communicate("stop\n", timeout=60)
            got = json.loads(out.splitlines()[-1])
            row.note = (f"{browsers} SSE streams during the Heartbeat run: {got['events']:,} events, "
                        f"{got['megabytes']:.1f} MB in {got['seconds']:.0f} s")
            runs.setdefault("browsers", []).append(row)
        best = [max(runs[key], key=_rate) for key in ("off", "on", "browsers")]
        return best + [station_list_row(logged, LIST_STATIONS)]
    finally:
        kill_clients()
        quiet.stop()
        logged.stop()


def print_dashboard_ratios(rows: list[Row]) -> None:
    off, on, browsers = (_rate(row) for row in rows[:3])
    print("\nDashboard (best full-speed Heartbeat run of each, same database):")
    print(f"- frame log on / off: {on / off:.2f}x; with the browsers / without them: {browsers / on:.2f}x "
          f"(target >= {DASHBOARD_TARGET}x); with both / neither: {browsers / off:.2f}x")


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


TARGETS = {"heartbeat": (0.5, 5.0), "meter16": (0.35, None), "txevent201": (0.3, None)}


def print_ratios(best: dict[str, Row]) -> None:
    print("\nRatios (best full-speed run of each; echo got the same frames):")
    for load, _ in LOADS:
        csms = _rate(best[f"csms {load.mode}"])
        echo_target, reference_target = TARGETS[load.mode]
        parts = [f"CSMS / echo {csms / _rate(best[f'echo {load.mode}']):.2f}x (target >= {echo_target}x)"]
        reference = best.get(f"reference {load.mode}")
        if reference is not None:
            target = f" (target >= {reference_target}x)" if reference_target else ""
            parts.append(f"CSMS / ocpp ChargePoint reference {csms / _rate(reference):.2f}x{target}")
        print(f"- {load.label}: " + "; ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=int, default=int(os.environ.get("BENCH_STATIONS", 1000)))
    parser.add_argument("--idle", type=int, default=int(os.environ.get("BENCH_IDLE", 5000)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_RATE", 1000)),
                        help="msg/s of the fixed-rate run")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 2)),
                        help="full-speed runs of each server, best kept")
    parser.add_argument("--only", choices=("api-reads", "signing", "dashboard"), help="run only these rows")
    args = parser.parse_args()
    started = time.monotonic()
    best: dict[str, Row] = {}
    idle: list[Row] = []
    api_rows: list[Row] = []
    signing: list[Row] = []
    dashboard: list[Row] = []
    try:
        with tempfile.TemporaryDirectory(prefix="csms-bench-") as tmp:
            workdir = Path(tmp)
            count = max(args.stations, args.idle, LIST_STATIONS if args.only in (None, "dashboard") else 0)
            register_stations(workdir / "bench.sqlite3", args.stations if args.only not in (None, "dashboard") else count)
            register_stations(workdir / "bench.sqlite3", SIGNING_STATIONS, SIGNING_PREFIX)
            add_big_transaction(workdir / "bench.sqlite3")
            if not args.only:
                best = throughput_rows(workdir, args.stations, args.duration, args.rate, args.repeat)
                idle = [idle_row(workdir, args.idle, compression=True), idle_row(workdir, args.idle, compression=False)]
            if args.only in (None, "api-reads"):
                api_rows = api_read_rows(workdir, args.stations, args.duration, args.rate)
            if args.only in (None, "signing"):
                signing = signing_rows(workdir, args.stations, args.duration, args.rate)
            if args.only in (None, "dashboard"):
                add_connectors(workdir / "bench.sqlite3", LIST_STATIONS)
                dashboard = dashboard_rows(workdir, args.stations, args.duration, args.repeat, SSE_BROWSERS)
    finally:
        kill_clients()
    order = ["echo heartbeat", "csms heartbeat", "reference heartbeat", "fixed", "echo meter16", "csms meter16",
             "reference meter16", "echo txevent201", "csms txevent201"]
    rows = [best[key] for key in order if key in best] + api_rows + signing + dashboard + idle
    print_table(rows)
    if best:
        print_ratios(best)
    if api_rows:
        print_api_read_ratio(*api_rows)
    if signing:
        print_signing(*signing)
    if dashboard:
        print_dashboard_ratios(dashboard)
    print("\nNotes (persisted rows counted in the SQLite files after the best runs; the API client's own figures):")
    for row in rows:
        if row.note:
            print(f"- {row.note}")
    print(f"\n{time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
