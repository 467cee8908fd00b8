"""OCPP 2.0.1 Authorize and the token rule that turns an idToken into an idTokenInfo."""
from __future__ import annotations

from typing import Any

from handlers import certificate_status
from handlers.authorization import cache_expiry, is_expired, looked_up
from handlers.routing import CallContext
from handlers.v201 import routes
from storage import commands, station_runtime, tokens
from storage.database import Store

# Types whose idToken is a token uid we can look up (eMAID also by its contract id).
LOOKUP_TYPES = {"ISO14443", "ISO15693", "KeyCode", "MacAddress", "eMAID"}
# An OCSP answer other than good, as Authorize's certificateStatus: a serial the responder does not know was not
# issued by the chain it speaks for.
OCSP_STATUSES = {"Revoked": "CertificateRevoked", "Unknown": "CertChainError"}


def id_token_info(store: Store, cs_id: str, id_token: dict[str, Any]) -> dict[str, Any]:
    """idTokenInfo per the token rule: unknown → Unknown (Local, Central → Invalid), not valid → Blocked; a partner's
    real-time verdict comes first."""
    token_type, value = id_token["type"], id_token["idToken"]
    if token_type == "NoAuthorization":
        return {"status": "Accepted"}
    token, verdict = looked_up(store, cs_id, value)
    if verdict is not None and verdict != "Accepted":
        return {"status": verdict}
    if token is None and token_type == "eMAID":
        token = tokens.find_token_by_contract(store, value)
    if token is not None:
        return _known_token_info(token, checked=verdict is not None)
    if verdict or token_type == "Central" and commands.was_issued_for_remote_start(store, cs_id, value):
        return {"status": "Accepted"}
    return {"status": "Unknown" if token_type in LOOKUP_TYPES else "Invalid"}


def _known_token_info(token: dict[str, Any], checked: bool) -> dict[str, Any]:
    """The idTokenInfo of a stored token; `checked`: a partner has just accepted it (its own flags may be older)."""
    if not checked and not token["valid"]:
        return {"status": "Blocked"}
    if not checked and is_expired(token):
        return {"status": "Expired", "cacheExpiryDateTime": token["expiry_date"]}
    info: dict[str, Any] = {"status": "Accepted"}
    if token.get("group_id"):
        info["groupIdToken"] = {"idToken": token["group_id"][:36], "type": "Central"}
    cache_until = cache_expiry(token)
    if cache_until:
        info["cacheExpiryDateTime"] = cache_until
    if token.get("language_code"):
        info["language1"] = token["language_code"][:8]
    return info


@routes.on("Authorize")
def authorize(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    info = id_token_info(ctx.store, ctx.cs_id, payload["idToken"])
    hash_data = payload.get("iso15118CertificateHashData")
    if not hash_data or info["status"] != "Accepted":  # as the original: contracts are checked for good tokens only
        return {"idTokenInfo": info}
    status = contract_status(ctx, hash_data)
    if status != "Accepted":
        info = {**info, "status": "Blocked"}
    return {"idTokenInfo": info, "certificateStatus": status}


def contract_status(ctx: CallContext, hash_data: list[dict[str, Any]]) -> str:
    """The contract certificate chain's status from OCSP, each certificate of it named by its hash data."""
    for data in hash_data:
        checked = certificate_status.check(ctx, data)
        if checked is None:
            return "NoCertificateAvailable"
        if checked[0] != "Good":
            return OCSP_STATUSES[checked[0]]
    return "Accepted"
