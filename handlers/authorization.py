"""The OCPP 1.6 token rule: an idTag looked up in the token store becomes an idTagInfo; token expiry for both."""
from __future__ import annotations

from storage import tokens, transactions_v16, utc_now_iso
from storage.database import Store


def id_tag_info(
    store: Store,
    id_tag: str,
    cs_id: str | None = None,
    connector_id: int | None = None,
    check_concurrent: bool = False,
) -> dict:
    """idTagInfo for `id_tag`: unknown → Invalid, not valid → Blocked, past its expiry → Expired, else Accepted
    (or ConcurrentTx)."""
    token = tokens.get_token(store, id_tag)
    if token is None:
        return {"status": "Invalid"}
    if not token["valid"]:
        return {"status": "Blocked"}
    if is_expired(token):
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
