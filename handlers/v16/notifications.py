"""OCPP 1.6 status reports about diagnostics, firmware and logs: stored as station messages."""
from __future__ import annotations

from handlers.routing import CallContext
from handlers.v16 import routes
from storage import station_messages, station_runtime


def _store_notification(ctx: CallContext, payload: dict) -> dict:
    station_messages.add_station_message(ctx.store, ctx.cs_id, ctx.action, payload, payload.get("requestId"))
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    ctx.log.info("%s %s: %s", ctx.action, ctx.message_id, payload.get("status"))
    return {}


for _action in (
    "DiagnosticsStatusNotification",
    "FirmwareStatusNotification",
    "SignedFirmwareStatusNotification",
    "LogStatusNotification",
):
    routes.on(_action)(_store_notification)
