"""OCA "ISO 15118 Plug & Charge with OCPP 1.6" DataTransfers (both versions): each messageId is the 2.0.1 message
of that name, carried in `data`, answered by our own 2.0.1 route and wrapped back."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from ocpp.exceptions import OCPPError

from handlers.notifications import record_message
from handlers.routing import CallContext, Routes
from protocol.versions import OCA_PNC_VENDOR

MESSAGES = frozenset({"Authorize", "GetCertificateStatus", "SignCertificate", "Get15118EVCertificate"})


def answer_data_transfer(
    ctx: CallContext, payload: dict, routes_201: Routes, defaults: dict[str, dict[str, Any]] | None = None
) -> dict:
    """Log the DataTransfer and answer it: UnknownVendorId / UnknownMessageId, Rejected for bad data, else the
    wrapped answer of the 2.0.1 handlers in `routes_201`. `defaults` fills fields the wrapped message may leave
    out, per messageId."""
    record_message(ctx, payload)
    if payload["vendorId"] != OCA_PNC_VENDOR:
        return {"status": "UnknownVendorId"}
    message_id = payload.get("messageId")
    if message_id not in MESSAGES:
        return {"status": "UnknownMessageId"}
    data = payload.get("data")
    inner = data if isinstance(data, dict) else _parsed(data)  # 2.0.1 may send the object itself, 1.6 JSON text
    if inner is None:
        ctx.log.warning("DataTransfer %s %s: data is not a JSON object", message_id, ctx.message_id)
        return {"status": "Rejected"}
    inner = {**(defaults or {}).get(message_id, {}), **inner}
    try:
        answer = routes_201.handle_call(dataclasses.replace(ctx, action=message_id, ocpp_version="2.0.1"), inner)
    except OCPPError as error:
        ctx.log.warning("DataTransfer %s %s: wrapped message refused: %s", message_id, ctx.message_id, error.description)
        return {"status": "Rejected"}
    return {"status": "Accepted", "data": answer if isinstance(data, dict) else json.dumps(answer, separators=(",", ":"))}


def _parsed(data: object) -> dict | None:
    try:
        inner = json.loads(data) if isinstance(data, str) else None
    except ValueError:
        return None
    return inner if isinstance(inner, dict) else None
