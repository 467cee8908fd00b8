"""OCPP 2.0.1 StatusNotification and MeterValues: connector status and sampled values outside transactions."""
from __future__ import annotations

from handlers.meter_values import meter_value_rows
from handlers.routing import CallContext
from handlers.v201 import routes
from storage import connectors, meter_values, station_runtime


@routes.on("StatusNotification")
def status_notification(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    connectors.save_status(
        ctx.store,
        ctx.cs_id,
        payload["evseId"],
        payload["connectorId"],
        payload["connectorStatus"],
        station_time=payload["timestamp"],
    )
    return {}


@routes.on("MeterValues")
def meter_values_notification(ctx: CallContext, payload: dict) -> dict:
    # evseId 0 is the station's main meter.
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    rows = meter_value_rows(payload["meterValue"])
    meter_values.add_meter_values(ctx.store, ctx.cs_id, rows, evse_id=payload["evseId"])
    return {}
