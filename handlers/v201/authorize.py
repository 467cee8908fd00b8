"""OCPP 2.0.1 Authorize and the token rule that turns an idToken into an idTokenInfo."""
from __future__ import annotations

from typing import Any

from handlers.routing import CallContext
from handlers.v201 import routes
from storage import station_runtime, token_lookup, tokens, utc_now_iso
from storage.database import Store

# Types whose idToken is a token uid we can look up (eMAID also by its contract id).
LOOKUP_TYPES = {"ISO14443", "ISO15693", "KeyCode", "MacAddress", "eMAID"}


def id_token_info(store: Store, cs_id: str, id_token: dict[str, Any]) -> dict[str, Any]:
    """idTokenInfo per the token rule: unknown → Unknown (Local, Central → Invalid), not valid → Blocked."""
    token_type, value = id_token["type"], id_token["idToken"]
    if token_type == "NoAuthorization":
        return {"status": "Accepted"}
    token = tokens.get_token(store, value)
    if token is None and token_type == "eMAID":
        token = token_lookup.find_token_by_contract(store, value)
    if token is not None:
        return _known_token_info(token)
    if token_type == "Central" and token_lookup.was_issued_for_remote_start(store, cs_id, value):
        return {"status": "Accepted"}
    return {"status": "Unknown" if token_type in LOOKUP_TYPES else "Invalid"}


def _known_token_info(token: dict[str, Any]) -> dict[str, Any]:
    if not token["valid"]:
        return {"status": "Blocked"}
    info: dict[str, Any] = {"status": "Accepted"}
    if token.get("group_id"):
        info["groupIdToken"] = {"idToken": token["group_id"][:36], "type": "Central"}
    if token.get("cache_mode") == "NEVER":
        info["cacheExpiryDateTime"] = utc_now_iso()
    if token.get("language_code"):
        info["language1"] = token["language_code"][:8]
    return info


@routes.on("Authorize")
def authorize(ctx: CallContext, payload: dict) -> dict:
    # Contract certificates and hash data are not checked until the PKI exists: no certificateStatus yet.
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"idTokenInfo": id_token_info(ctx.store, ctx.cs_id, payload["idToken"])}
