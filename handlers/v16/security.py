"""OCPP 1.6 Security Whitepaper messages: security events and certificate signing requests."""
from __future__ import annotations

from handlers.notifications import record_message
from handlers.routing import CallContext
from handlers.v16 import routes
from storage import security_events, station_runtime


@routes.on("SecurityEventNotification")
def security_event_notification(ctx: CallContext, payload: dict) -> dict:
    security_events.add_security_event(
        ctx.store, ctx.cs_id, payload["type"], payload["timestamp"], payload.get("techInfo"), "station"
    )
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {}


@routes.on("SignCertificate")
def sign_certificate(ctx: CallContext, payload: dict) -> dict:
    # No certificate authority exists yet (PKI comes with build order 6): the CSR is kept, the answer is honest.
    record_message(ctx, payload)
    ctx.log.warning("%s %s: no CA configured, CSR rejected", ctx.action, ctx.message_id)
    return {"status": "Rejected"}
