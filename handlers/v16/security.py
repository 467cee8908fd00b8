"""OCPP 1.6 Security Whitepaper messages: security events and certificate signing requests."""
from __future__ import annotations

from handlers.certificates import sign_csr
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
    # The Security Whitepaper's SignCertificate asks for the charge point certificate only.
    record_message(ctx, payload)
    return {"status": sign_csr(ctx, payload["csr"], None)}
