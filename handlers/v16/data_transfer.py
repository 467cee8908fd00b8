"""OCPP 1.6 DataTransfer, routed by vendorId and messageId; the OCA Plug & Charge messages carry 2.0.1 payloads."""
from __future__ import annotations

import json
from dataclasses import replace

from ocpp.exceptions import OCPPError

from handlers.notifications import record_message
from handlers.routing import CallContext
from handlers.v16 import routes

OCA_PNC_VENDOR = "org.openchargealliance.iso15118pnc"
# "ISO 15118 Plug & Charge with OCPP 1.6": each messageId is the 2.0.1 message of the same name.
OCA_PNC_MESSAGES = ("Authorize", "GetCertificateStatus", "SignCertificate", "Get15118EVCertificate")


@routes.on("DataTransfer")
def data_transfer(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    if payload["vendorId"] != OCA_PNC_VENDOR:
        return {"status": "UnknownVendorId"}
    message_id = payload.get("messageId")
    if message_id not in OCA_PNC_MESSAGES:
        return {"status": "UnknownMessageId"}
    return _plug_and_charge(ctx, message_id, payload.get("data"))


def _plug_and_charge(ctx: CallContext, message_id: str, data: str | None) -> dict:
    from handlers.v201 import routes as v201_routes

    try:
        inner = json.loads(data) if data else None
    except ValueError:
        inner = None
    if not isinstance(inner, dict):
        ctx.log.warning("DataTransfer %s %s: data is not a JSON object", message_id, ctx.message_id)
        return {"status": "Rejected"}
    if message_id == "SignCertificate":
        inner.setdefault("certificateType", "V2GCertificate")
    inner_ctx = replace(ctx, action=message_id, ocpp_version="2.0.1")
    try:
        answer = v201_routes.handle_call(inner_ctx, inner)
    except OCPPError as error:
        ctx.log.warning("DataTransfer %s %s: %s", message_id, ctx.message_id, error.description)
        return {"status": "Rejected"}
    return {"status": "Accepted", "data": json.dumps(answer)}
