"""OCPP 2.0.1 BootNotification and Heartbeat."""
from __future__ import annotations

from handlers.routing import CallContext
from handlers.v201 import routes
from storage import station_runtime, utc_now_iso


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
    station_runtime.save_boot(ctx.store, ctx.cs_id, facts, "Accepted")
    return {"status": "Accepted", "currentTime": utc_now_iso(), "interval": ctx.config.heartbeat_interval}


@routes.on("Heartbeat")
def heartbeat(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"currentTime": utc_now_iso()}
