"""OCPP 2.0.1 security messages: events, certificate signing, certificate status and 15118 certificate requests."""
from __future__ import annotations

import base64

from handlers import certificate_status, contract_provider
from handlers.certificates import sign_csr
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
    record_message(ctx, payload)
    return {"status": sign_csr(ctx, payload["csr"], payload.get("certificateType"))}


@routes.on("Get15118EVCertificate")
def get_15118_ev_certificate(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    return contract_provider.install(ctx, payload)


@routes.on("GetCertificateStatus")
def get_certificate_status(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    checked = certificate_status.check(ctx, payload["ocspRequestData"])
    if checked is None:
        return {"status": "Failed"}
    return {"status": "Accepted", "ocspResult": base64.b64encode(checked[1]).decode()}
