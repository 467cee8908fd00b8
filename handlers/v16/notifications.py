"""OCPP 1.6 status reports about diagnostics, firmware and logs: stored as station messages."""
from __future__ import annotations

from handlers.notifications import record_message
from handlers.routing import CallContext
from handlers.v16 import routes


def _store_notification(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    ctx.log.info("%s %s: %s", ctx.action, ctx.message_id, payload.get("status"))
    return {}


for _action in (
    "DiagnosticsStatusNotification",
    "FirmwareStatusNotification",
    "SignedFirmwareStatusNotification",
    "LogStatusNotification",
):
    routes.on(_action)(_store_notification)
