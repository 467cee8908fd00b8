"""The OCPP 1.6 token rule: an idTag looked up in the token store becomes an idTagInfo; token expiry for both; and the
hook through which a roaming partner is asked about a token (OCPI real-time authorization)."""
from __future__ import annotations

from typing import Any, Callable

from storage import tokens, transactions_v16, utc_now_iso
from storage.database import Store

# Asks a roaming partner about a token, set by the server when OCPI runs: (cs_id, uid, the stored token or None) →
# an OCPP 2.0.1 AuthorizationStatus (Accepted, Blocked, Expired, NoCredit, NotAtThisLocation, Invalid), or None to
# decide by the token store. Only the asking station's greenlet waits for it.
RemoteAuthorizer = Callable[[str, str, "dict[str, Any] | None"], "str | None"]
remote_authorizers: list[RemoteAuthorizer] = []
# 2.0.1 statuses 1.6 lacks.
_STATUS_16 = {"NoCredit": "Invalid", "NotAtThisLocation": "Invalid", "NotAllowedTypeEVSE": "Invalid"}


def looked_up(store: Store, cs_id: str | None, uid: str) -> tuple[dict[str, Any] | None, str | None]:
    """(the stored token, a partner's verdict or None): partners are asked only for a station's token (`cs_id`); an
    answer they gave may have been stored as the token meanwhile."""
    token = tokens.get_token(store, uid)
    if cs_id is None:
        return token, None
    for ask in remote_authorizers:
        verdict = ask(cs_id, uid, token)
        if verdict is not None:
            return tokens.get_token(store, uid), verdict
    return token, None


def id_tag_info(
    store: Store,
    id_tag: str,
    cs_id: str | None = None,
    connector_id: int | None = None,
    check_concurrent: bool = False,
) -> dict:
    """idTagInfo for `id_tag`: unknown → Invalid, not valid → Blocked, past its expiry → Expired, else Accepted
    (or ConcurrentTx); with `cs_id`, a partner's real-time verdict comes first."""
    token, verdict = looked_up(store, cs_id, id_tag)
    if verdict is not None and verdict != "Accepted":
        return {"status": _STATUS_16.get(verdict, verdict)}
    if token is None:
        return {"status": "Accepted" if verdict else "Invalid"}
    if verdict is None and not token["valid"]:
        return {"status": "Blocked"}
    if verdict is None and is_expired(token):
        return {"status": "Expired", "expiryDate": token["expiry_date"]}
    info: dict = {"status": "Accepted"}
    if (
        check_concurrent
        and cs_id is not None
        and transactions_v16.is_charging_elsewhere(store, id_tag, cs_id, connector_id or 0)
    ):
        info["status"] = "ConcurrentTx"
    if token.get("group_id"):
        info["parentIdTag"] = token["group_id"][:20]
    cache_until = cache_expiry(token)
    if cache_until:
        info["expiryDate"] = cache_until
    return info


def is_expired(token: dict) -> bool:
    """Whether the token's expiry date has passed (both stored in UTC with a Z: they compare as text)."""
    return bool(token.get("expiry_date")) and token["expiry_date"] <= utc_now_iso()


def cache_expiry(token: dict) -> str | None:
    """Until when a station may keep the token in its cache: now for cache mode NEVER, else its expiry date."""
    return utc_now_iso() if token.get("cache_mode") == "NEVER" else token.get("expiry_date")
