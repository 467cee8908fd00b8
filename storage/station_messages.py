"""A log of station messages kept as sent: notifications, data transfers, certificate requests."""
from __future__ import annotations

import json
from typing import Any

from storage import utc_now_iso
from storage.database import Store


def add_station_message(
    store: Store, cs_id: str, action: str, body: dict[str, Any] | str, request_id: int | None = None
) -> int:
    """Store one message durably (a dict is kept as JSON text); returns its id."""
    row = {
        "cs_id": cs_id,
        "action": action,
        "request_id": request_id,
        "body": body if isinstance(body, str) else json.dumps(body, separators=(",", ":")),
        "received_at": utc_now_iso(),
    }
    return store.write(lambda db: db["station_messages"].insert(row).last_pk)


def list_station_messages(
    store: Store, cs_id: str, action: str | None = None, offset: int = 0, limit: int = 20
) -> list[dict[str, Any]]:
    """The station's stored messages (of one action if given), newest first."""
    where, args = ("cs_id = ?", [cs_id]) if action is None else ("cs_id = ? AND action = ?", [cs_id, action])
    return store.read(
        lambda db: list(
            db["station_messages"].rows_where(where, args, order_by="id desc", limit=limit, offset=offset)
        )
    )
