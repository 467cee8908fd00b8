"""OCPP 2.0.1 BootNotification and Heartbeat."""
from __future__ import annotations

from handlers.boot import answer_boot, heartbeat
from handlers.routing import CallContext
from handlers.v201 import routes


@routes.on("BootNotification")
def boot_notification(ctx: CallContext, payload: dict) -> dict:
    station = payload["chargingStation"]
    modem = station.get("modem") or {}
    facts = {
        "vendor": station["vendorName"],
        "model": station["model"],
        "serial_number": station.get("serialNumber"),
        "firmware_version": station.get("firmwareVersion"),
        "iccid": modem.get("iccid"),
        "imsi": modem.get("imsi"),
        "boot_reason": payload["reason"],
    }
    return answer_boot(ctx, facts)


routes.on("Heartbeat")(heartbeat)
