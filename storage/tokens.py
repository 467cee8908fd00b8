"""Authorization tokens: written and listed by the management API, looked up by uid or contract id to authorise."""
from __future__ import annotations

from typing import Any

from storage import utc_now_iso
from storage.database import Store

COLUMNS = (
    "uid", "country_code", "party_id", "type", "contract_id", "visual_number",
    "issuer", "group_id", "valid", "language_code", "cache_mode", "expiry_date",
)  # fmt: skip


def save_token(store: Store, token: dict[str, Any]) -> None:
    """Create or replace the token with this uid; lastUpdated becomes now."""
    row = {name: token.get(name) for name in COLUMNS}
    row["valid"] = int(bool(row["valid"]))
    row["last_updated"] = utc_now_iso()
    store.write(lambda db: db["tokens"].upsert(row, pk="uid"))


def get_token(store: Store, uid: str) -> dict[str, Any] | None:
    """The token with exactly this uid, or None."""
    return store.read(lambda db: next(db["tokens"].rows_where("uid = ?", [uid], limit=1), None))


def list_tokens(store: Store, offset: int, limit: int) -> list[dict[str, Any]]:
    """Tokens ordered by uid (off the event loop: a big offset walks that many index entries)."""
    return store.read_off_hub(lambda db: list(db["tokens"].rows_where(order_by="uid", limit=limit, offset=offset)))


# SQLite's spelling of normalise_contract_id, the expression of the index idx_tokens_contract_id_normalised.
NORMALISED_CONTRACT_ID = "upper(replace(replace(contract_id, '-', ''), ' ', ''))"


def normalise_contract_id(contract_id: str) -> str:
    """An eMAID without separators, upper case (NL-TNM-C00122045-K → NLTNMC00122045K)."""
    return contract_id.replace("-", "").replace(" ", "").upper()


def find_token_by_contract(store: Store, contract_id: str) -> dict[str, Any] | None:
    """The token with this contract id, compared exactly first, then normalised; or None."""
    normalised = normalise_contract_id(contract_id)

    def lookup(db: Any) -> dict[str, Any] | None:
        exact = next(db["tokens"].rows_where("contract_id = ?", [contract_id], limit=1), None)
        if exact is not None:
            return exact
        return next(db["tokens"].rows_where(f"{NORMALISED_CONTRACT_ID} = ?", [normalised], limit=1), None)

    return store.read(lookup)


def delete_token(store: Store, uid: str) -> bool:
    """Delete the token with this uid; False when there is none."""
    return store.write(lambda db: db.execute("DELETE FROM tokens WHERE uid = ?", [uid]).rowcount > 0)
