"""OCPP 1.6 BootNotification and Heartbeat."""
from __future__ import annotations

from handlers.boot import answer_boot, heartbeat
from handlers.routing import CallContext
from handlers.v16 import routes


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
    return answer_boot(ctx, facts)


routes.on("Heartbeat")(heartbeat)
