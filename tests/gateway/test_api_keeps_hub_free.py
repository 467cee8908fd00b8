"""Big API reads and a big station delete never hold the event loop: another station's Heartbeat is answered."""
from __future__ import annotations

import json
import threading
import time
from typing import Callable, Iterator

import pytest
import requests

from storage.stations import DEPENDENT_TABLES
from tests.conftest import LiveServer
from tests.gateway.conftest import add_station, connect, start_server, ws_connect

METER_ROWS = 150_000  # two days of a 10-measurand meter every 10 s
DELETED_ROWS = 50_000
# Loose on purpose (a shared 2-core box): a stalled loop answered after seconds, a free one within milliseconds.
HEARTBEAT_BOUND_S = 0.5
READ_LOOP_S = 3.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("hub"))
    yield server
    server.stop()


def add_transaction_with_meter_values(server: LiveServer, cs_id: str, transaction_id: str, count: int) -> None:
    """A transaction and `count` sampled values, written straight into the server's file as the handlers store them."""
    rows = (
        (cs_id, transaction_id, 1, 1, f"2026-01-01T00:00:{n % 60:02d}.000Z", str(n), float(n), "Sample.Periodic",
         "Energy.Active.Import.Register", "Wh")
        for n in range(count)
    )  # fmt: skip
    with connect(server) as db:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO transactions (cs_id, transaction_id, evse_id, connector_id, status, meter_start)"
            " VALUES (?, ?, 1, 1, 'active', 0)",
            [cs_id, transaction_id],
        )
        db.executemany(
            "INSERT INTO meter_values (cs_id, transaction_id, evse_id, connector_id, timestamp, value, value_number,"
            " context, measurand, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute("COMMIT")


def add_dependent_rows(server: LiveServer, cs_id: str, count: int) -> None:
    """`count` rows that go with the station: device model variables (a big base report) and old commands."""
    variables = ((cs_id, f"Component{n // 100}", f"Variable{n % 100}", str(n)) for n in range(count // 2))
    with connect(server) as db:
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO device_model (cs_id, component, variable, attribute_type, value) VALUES (?, ?, ?, 'Actual', ?)",
            variables,
        )
        db.executemany(
            "INSERT INTO commands (cs_id, operation, status) VALUES (?, 'ClearCache', 'completed')",
            ((cs_id,) for _ in range(count - count // 2)),
        )
        db.execute("COMMIT")


def rows_of(server: LiveServer, cs_id: str, tables: tuple[str, ...]) -> dict[str, int]:
    with connect(server) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table} WHERE cs_id = ?", [cs_id]).fetchone()[0] for table in tables}


def slowest_heartbeat_while(server: LiveServer, cs_id: str, work: Callable[[], None]) -> tuple[float, list]:
    """Run `work` in a thread and send Heartbeats until it ends: the slowest round trip in seconds, work's errors."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    slowest = 0.0
    with ws_connect(server, cs_id) as station:
        worker = threading.Thread(target=run)
        worker.start()
        count = 0
        while worker.is_alive():
            count += 1
            started = time.perf_counter()
            station.send(f'[2,"{count}","Heartbeat",{{}}]')
            assert json.loads(station.recv(timeout=60))[:2] == [3, str(count)]
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.01)
        worker.join()
    return slowest, errors


def read_in_a_loop(server: LiveServer, transaction_id: str) -> None:
    """The transaction detail and meter value pages across the whole transaction, for READ_LOOP_S seconds."""
    deadline = time.monotonic() + READ_LOOP_S
    offset = 0
    while time.monotonic() < deadline:
        detail = requests.get(f"{server.api_url}/transactions/{transaction_id}", timeout=60)
        assert detail.status_code == 200, detail.text
        page = requests.get(f"{server.api_url}/transactions/{transaction_id}/meterValues?offset={offset}", timeout=60)
        assert page.status_code == 200, page.text
        assert len(page.json()) == 1000
        offset = (offset + 37_000) % (METER_ROWS - 1000)


def test_heartbeats_are_answered_while_the_api_reads_a_big_transaction(server: LiveServer) -> None:
    add_station(server, "hub-reader")
    add_station(server, "hub-meter")
    add_transaction_with_meter_values(server, "hub-meter", "big-1", METER_ROWS)
    slowest, errors = slowest_heartbeat_while(server, "hub-reader", lambda: read_in_a_loop(server, "big-1"))
    assert slowest < HEARTBEAT_BOUND_S
    assert not errors


def test_heartbeats_are_answered_while_a_big_station_is_deleted(server: LiveServer) -> None:
    add_station(server, "hub-live")
    add_station(server, "hub-deleted")
    add_dependent_rows(server, "hub-deleted", DELETED_ROWS)
    add_transaction_with_meter_values(server, "hub-deleted", "kept-1", 10)

    def delete() -> None:
        assert requests.delete(f"{server.api_url}/cs/hub-deleted", timeout=60).status_code == 204

    slowest, errors = slowest_heartbeat_while(server, "hub-live", delete)
    assert slowest < HEARTBEAT_BOUND_S
    assert not errors
    with connect(server) as db:
        assert db.execute("SELECT count(*) FROM stations WHERE id = 'hub-deleted'").fetchone()[0] == 0
    assert set(rows_of(server, "hub-deleted", DEPENDENT_TABLES).values()) == {0}
    assert rows_of(server, "hub-deleted", ("transactions", "meter_values")) == {"transactions": 1, "meter_values": 10}
