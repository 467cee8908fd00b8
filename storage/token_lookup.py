"""Token look-ups for authorising a station's idTag / idToken."""
from __future__ import annotations

from typing import Any

from storage.database import Store

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


def was_issued_for_remote_start(store: Store, cs_id: str, id_token: str) -> bool:
    """Whether we sent this station a RequestStartTransaction with this idToken (a Central token we issued)."""
    sql = (
        "SELECT 1 FROM commands WHERE cs_id = ? AND (action = ? OR operation = ?)"
        " AND (json_extract(request, '$.idToken.idToken') = ? OR json_extract(params, '$.idToken.idToken') = ?)"
        " LIMIT 1"
    )
    args = [cs_id, "RequestStartTransaction", "RequestStartTransaction", id_token, id_token]
    return store.read(lambda db: db.execute(sql, args).fetchone() is not None)
