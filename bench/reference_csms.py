"""BENCHMARK REFERENCE ONLY, not part of the product: a minimal OCPP 1.6 CSMS written the way the `ocpp` package's
documentation shows (asyncio `websockets.serve`, an `ocpp.v16.ChargePoint` subclass with `@on(...)` handlers),
storing into sqlite3 with a commit per message. `python -m bench` runs the Heartbeat and 1.6 MeterValues loads
against it, so the CSMS's figures can be read as a ratio to "the obvious way".

Deliberately plain: the package's default validation (jsonschema, via its thread pool), one sqlite3 connection on
the event loop (WAL, the default synchronous=FULL), no authentication (the Authorization header is ignored).
`python -m bench.reference_csms DB_PATH` prints `listening reference ws://127.0.0.1:PORT` when ready.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import sys
from datetime import datetime, timezone

import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint as cp
from ocpp.v16 import call_result
from ocpp.v16.enums import Action, AuthorizationStatus, RegistrationStatus

logging.basicConfig(level=logging.WARNING)

SCHEMA = """
CREATE TABLE IF NOT EXISTS stations (id TEXT PRIMARY KEY, vendor TEXT, model TEXT, last_seen TEXT);
CREATE TABLE IF NOT EXISTS tokens (id_tag TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS transactions (id INTEGER PRIMARY KEY AUTOINCREMENT, cs_id TEXT, connector_id INTEGER,
    id_tag TEXT, auth_status TEXT, meter_start INTEGER, started_at TEXT);
CREATE TABLE IF NOT EXISTS meter_values (id INTEGER PRIMARY KEY, cs_id TEXT, transaction_id INTEGER,
    connector_id INTEGER, timestamp TEXT, value TEXT, context TEXT, format TEXT, measurand TEXT, phase TEXT,
    location TEXT, unit TEXT);
"""

db: sqlite3.Connection


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


class ChargePoint(cp):
    @on(Action.boot_notification)
    def on_boot_notification(self, charge_point_vendor: str, charge_point_model: str, **kwargs):
        db.execute(
            "INSERT INTO stations (id, vendor, model, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
            " SET vendor = excluded.vendor, model = excluded.model, last_seen = excluded.last_seen",
            (self.id, charge_point_vendor, charge_point_model, now()),
        )
        db.commit()
        return call_result.BootNotification(current_time=now(), interval=300, status=RegistrationStatus.accepted)

    @on(Action.heartbeat)
    def on_heartbeat(self):
        current_time = now()
        db.execute("UPDATE stations SET last_seen = ? WHERE id = ?", (current_time, self.id))
        db.commit()
        return call_result.Heartbeat(current_time=current_time)

    @on(Action.start_transaction)
    def on_start_transaction(self, connector_id: int, id_tag: str, meter_start: int, timestamp: str, **kwargs):
        known = db.execute("SELECT 1 FROM tokens WHERE id_tag = ?", (id_tag,)).fetchone() is not None
        status = AuthorizationStatus.accepted if known else AuthorizationStatus.invalid
        cursor = db.execute(
            "INSERT INTO transactions (cs_id, connector_id, id_tag, auth_status, meter_start, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (self.id, connector_id, id_tag, status.value, meter_start, timestamp),
        )
        db.commit()
        return call_result.StartTransaction(transaction_id=cursor.lastrowid, id_tag_info={"status": status})

    @on(Action.meter_values)
    def on_meter_values(self, connector_id: int, meter_value: list, transaction_id: int | None = None, **kwargs):
        db.executemany(
            "INSERT INTO meter_values (cs_id, transaction_id, connector_id, timestamp, value, context, format,"
            " measurand, phase, location, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (self.id, transaction_id, connector_id, value["timestamp"], sampled["value"], sampled.get("context"),
                 sampled.get("format"), sampled.get("measurand"), sampled.get("phase"), sampled.get("location"),
                 sampled.get("unit"))
                for value in meter_value
                for sampled in value["sampled_value"]
            ],
        )
        db.commit()
        return call_result.MeterValues()


async def on_connect(websocket):
    if websocket.subprotocol != "ocpp1.6":
        return await websocket.close()
    charge_point = ChargePoint(websocket.request.path.strip("/").split("/")[-1], websocket)
    try:
        await charge_point.start()
    except websockets.ConnectionClosed:
        pass


async def main(path: str) -> None:
    global db
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with websockets.serve(on_connect, "127.0.0.1", 0, subprotocols=["ocpp1.6"], max_size=2**20) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening reference ws://127.0.0.1:{port}", flush=True)
        await stop.wait()
    db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
