"""A real OCPP station for trying the CSMS: boots, authorizes, charges a little and stops (1.6 or 2.0.1).

    python examples/station.py --id cs001 --password my-secret-password --version 1.6
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import logging
from datetime import datetime, timezone

import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


async def session_16(station: ChargePoint16, id_tag: str) -> None:
    boot = await station.call(call16.BootNotification(charge_point_model="Example", charge_point_vendor="CSMS examples"))
    print("BootNotification:", boot.status)
    await station.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Available"))
    print("Authorize:", (await station.call(call16.Authorize(id_tag=id_tag))).id_tag_info["status"])
    started = await station.call(call16.StartTransaction(connector_id=1, id_tag=id_tag, meter_start=1000, timestamp=now()))
    print("StartTransaction:", started.transaction_id, started.id_tag_info["status"])
    sample = {"timestamp": now(), "sampledValue": [{"value": "1500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]}
    await station.call(call16.MeterValues(connector_id=1, transaction_id=started.transaction_id, meter_value=[sample]))
    await station.call(call16.StopTransaction(transaction_id=started.transaction_id, meter_stop=2500, timestamp=now()))
    print("StopTransaction: done, transaction", started.transaction_id)


async def session_201(station: ChargePoint201, id_tag: str) -> None:
    boot = await station.call(
        call201.BootNotification(charging_station={"model": "Example", "vendor_name": "CSMS examples"}, reason="PowerUp")
    )
    print("BootNotification:", boot.status)
    await station.call(call201.StatusNotification(timestamp=now(), connector_status="Available", evse_id=1, connector_id=1))
    token = {"id_token": id_tag, "type": "ISO14443"}
    print("Authorize:", (await station.call(call201.Authorize(id_token=token))).id_token_info["status"])
    transaction = {"transaction_id": f"example-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"}
    for seq_no, (event, energy) in enumerate((("Started", 1000), ("Updated", 1500), ("Ended", 2500))):
        meter = [{"timestamp": now(), "sampled_value": [{"value": energy, "measurand": "Energy.Active.Import.Register"}]}]
        answer = await station.call(
            call201.TransactionEvent(
                event_type=event, timestamp=now(), trigger_reason="Authorized" if seq_no == 0 else "MeterValuePeriodic",
                seq_no=seq_no, transaction_info=transaction, evse={"id": 1, "connector_id": 1},
                id_token=token if seq_no == 0 else None, meter_value=meter,
            )
        )
        print(f"TransactionEvent {event}:", answer.total_cost if event == "Ended" else answer.id_token_info or "")


async def main(args: argparse.Namespace) -> None:
    credentials = base64.b64encode(f"{args.id}:{args.password}".encode()).decode()
    subprotocol = "ocpp1.6" if args.version == "1.6" else "ocpp2.0.1"
    async with websockets.connect(
        f"{args.url}/{args.id}", subprotocols=[subprotocol], additional_headers={"Authorization": f"Basic {credentials}"}
    ) as ws:
        station_class = ChargePoint16 if args.version == "1.6" else ChargePoint201
        station = station_class(args.id, ws)
        listener = asyncio.create_task(station.start())
        try:
            await (session_16 if args.version == "1.6" else session_201)(station, args.id_tag)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:9310/ws", help="the CSMS's OCPP WebSocket URL without the id")
    parser.add_argument("--id", default="cs001", help="the station id registered with POST /api/v0/cs/{csId}")
    parser.add_argument("--password", default="my-secret-password", help="the Basic auth password")
    parser.add_argument("--version", choices=("1.6", "2.0.1"), default="1.6")
    parser.add_argument("--id-tag", default="DEADBEEF", help="the token to authorize with")
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parser.parse_args()))
