"""Locations registered through the management API, stored as OCPI JSON with their owner."""
from __future__ import annotations

import json
from typing import Any

from storage import utc_now_iso
from storage.database import Store


def save_location(store: Store, location_id: str, location: dict[str, Any]) -> None:
    """Create or replace the location; country_code and party_id are kept as columns too."""
    row = {
        "id": location_id,
        "country_code": location["country_code"],
        "party_id": location["party_id"],
        "body": json.dumps(location),
        "updated_at": utc_now_iso(),
    }
    store.write(lambda db: db["locations"].upsert(row, pk="id"))


def get_location(store: Store, location_id: str) -> dict[str, Any] | None:
    """The stored location (its OCPI body with `id`), or None."""
    row = store.read(lambda db: next(db["locations"].rows_where("id = ?", [location_id], limit=1), None))
    return None if row is None else {"id": row["id"], **json.loads(row["body"])}
