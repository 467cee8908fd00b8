"""OCPP 2.0.1 DataTransfer: logged; the OCA Plug & Charge vendor's messages are answered like the native ones."""
from __future__ import annotations

import dataclasses
import json

from ocpp.exceptions import OCPPError

from handlers.routing import CallContext
from handlers.v201 import routes
from handlers.notifications import record_message

PNC_VENDOR = "org.openchargealliance.iso15118pnc"
PNC_MESSAGES = {"Authorize", "GetCertificateStatus", "SignCertificate", "Get15118EVCertificate"}


@routes.on("DataTransfer")
def data_transfer(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    if payload["vendorId"] != PNC_VENDOR:
        return {"status": "UnknownVendorId"}
    message_id = payload.get("messageId")
    if message_id not in PNC_MESSAGES:
        return {"status": "UnknownMessageId"}
    return _plug_and_charge(ctx, message_id, payload.get("data"))


def _plug_and_charge(ctx: CallContext, message_id: str, data: object) -> dict:
    """Run the wrapped 2.0.1 message through our own route; bad data → Rejected.

    `data` is JSON text as in 1.6, or (2.0.1 allows any type) the object itself: we answer in the same form.
    """
    inner = data if isinstance(data, dict) else _parsed(data)
    if inner is None:
        return {"status": "Rejected"}
    try:
        answer = routes.handle_call(dataclasses.replace(ctx, action=message_id), inner)
    except OCPPError as error:
        ctx.log.info("DataTransfer %s: wrapped %s refused: %s", ctx.message_id, message_id, error.description)
        return {"status": "Rejected"}
    return {"status": "Accepted", "data": answer if isinstance(data, dict) else json.dumps(answer, separators=(",", ":"))}


def _parsed(data: object) -> dict | None:
    try:
        inner = json.loads(data) if isinstance(data, str) else None
    except ValueError:
        return None
    return inner if isinstance(inner, dict) else None
