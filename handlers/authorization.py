"""The OCPP 1.6 token rule: an idTag looked up in the token store becomes an idTagInfo."""
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
    """idTagInfo for `id_tag`: unknown → Invalid, not valid → Blocked, else Accepted (or ConcurrentTx)."""
    token = tokens.get_token(store, id_tag)
    if token is None:
        return {"status": "Invalid"}
    if not token["valid"]:
        return {"status": "Blocked"}
    info: dict = {"status": "Accepted"}
    if (
        check_concurrent
        and cs_id is not None
        and transactions_v16.is_charging_elsewhere(store, id_tag, cs_id, connector_id or 0)
    ):
        info["status"] = "ConcurrentTx"
    if token.get("group_id"):
        info["parentIdTag"] = token["group_id"][:20]
    if token.get("cache_mode") == "NEVER":
        info["expiryDate"] = utc_now_iso()
    return info
