"""OCPP 1.6 BootNotification and Heartbeat."""
from __future__ import annotations

from handlers.routing import CallContext
from handlers.v16 import routes
from storage import station_runtime, utc_now_iso


@routes.on("BootNotification")
def boot_notification(ctx: CallContext, payload: dict) -> dict:
    facts = {
        "vendor": payload["chargePointVendor"],
        "model": payload["chargePointModel"],
        "serial_number": payload.get("chargePointSerialNumber"),
        "charge_box_serial_number": payload.get("chargeBoxSerialNumber"),
        "firmware_version": payload.get("firmwareVersion"),
        "iccid": payload.get("iccid"),
        "imsi": payload.get("imsi"),
        "meter_type": payload.get("meterType"),
        "meter_serial_number": payload.get("meterSerialNumber"),
    }
    station_runtime.save_boot(ctx.store, ctx.cs_id, facts, "Accepted")
    return {"status": "Accepted", "currentTime": utc_now_iso(), "interval": ctx.config.heartbeat_interval}


@routes.on("Heartbeat")
def heartbeat(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"currentTime": utc_now_iso()}
