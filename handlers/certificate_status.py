"""Whether a certificate named by OCPP hash data is good: asked of the OCSP responder the data names, our own one
answering locally; an unreachable responder is a logged security event, never a crash or a stalled station."""
from __future__ import annotations

import functools
from typing import Any

from handlers.http_post import post
from handlers.routing import CallContext
from pki import ocsp
from storage import issued_certificates, utc_now_iso
from storage.security_events import add_security_event

def check(ctx: CallContext, data: dict[str, Any]) -> tuple[str, bytes] | None:
    """("Good" | "Revoked" | "Unknown", the DER OCSP response) for OCPP's OCSPRequestDataType, or None when no
    responder could answer (logged, and a security event)."""
    try:
        request = ocsp.request_for(_hash_data(data))
    except (KeyError, ValueError) as error:
        ctx.log.warning("%s %s: unusable certificate hash data: %s", ctx.action, ctx.message_id, error)
        return None
    try:
        response = _local_answer(ctx, request) or post(
            data["responderURL"], request, {"Content-Type": "application/ocsp-request"}, ctx.config.ocsp_timeout
        )
        return ocsp.status_of(response), response
    except (OSError, ValueError) as error:
        reason = f"OCSP responder {data.get('responderURL', '')[:120]} failed: {error}"
        ctx.log.warning("%s %s: %s", ctx.action, ctx.message_id, reason)
        add_security_event(ctx.store, ctx.cs_id, "OcspResponderUnreachable", utc_now_iso(), reason[:255], "csms")
        return None


def _hash_data(data: dict[str, Any]) -> ocsp.HashData:
    return ocsp.HashData(data["hashAlgorithm"], data["issuerNameHash"], data["issuerKeyHash"], data["serialNumber"])


def _local_answer(ctx: CallContext, request: bytes) -> bytes | None:
    """Our CA's own answer when it issued the certificate's issuer (no network, works offline)."""
    if ctx.ca is None:
        return None
    response = ocsp.respond(request, ctx.ca.authorities(), functools.partial(issued_certificates.revocation, ctx.store))
    return None if ocsp.is_unauthorized(response) else response
