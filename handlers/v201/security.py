"""OCPP 2.0.1 security messages: events, certificate signing and 15118 certificate requests (no PKI yet)."""
from __future__ import annotations

from handlers.routing import CallContext
from handlers.v201 import routes
from handlers.notifications import record_message
from storage import security_events, station_runtime


@routes.on("SecurityEventNotification")
def security_event_notification(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    security_events.add_security_event(
        ctx.store, ctx.cs_id, payload["type"], payload["timestamp"], payload.get("techInfo")
    )
    return {}


@routes.on("SignCertificate")
def sign_certificate(ctx: CallContext, payload: dict) -> dict:
    # The CSR is kept for the PKI work; without a CA we cannot sign it.
    record_message(ctx, payload)
    return {"status": "Rejected"}


@routes.on("Get15118EVCertificate")
def get_15118_ev_certificate(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    ctx.log.info("Get15118EVCertificate %s: no certificate provider configured", ctx.message_id)
    return {"status": "Failed", "exiResponse": ""}


@routes.on("GetCertificateStatus")
def get_certificate_status(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    ctx.log.info("GetCertificateStatus %s: no OCSP responder configured", ctx.message_id)
    return {"status": "Failed"}
