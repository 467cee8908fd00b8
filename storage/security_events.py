"""Security events a station reported (or the CSMS raised about it)."""
from __future__ import annotations

from typing import Any

from storage import utc_now_iso
from storage.database import Store


def add_security_event(
    store: Store, cs_id: str, type: str, timestamp: str | None, tech_info: str | None, source: str = "station"
) -> int:
    """Store one security event durably; returns its id."""
    row = {
        "cs_id": cs_id,
        "type": type,
        "timestamp": timestamp,
        "tech_info": tech_info,
        "source": source,
        "received_at": utc_now_iso(),
    }
    return store.write(lambda db: db["security_events"].insert(row).last_pk)


def list_events(store: Store, cs_id: str, offset: int = 0, limit: int = 20) -> list[dict[str, Any]]:
    """The station's security events, newest first."""
    return store.read(
        lambda db: list(
            db["security_events"].rows_where(
                "cs_id = ?", [cs_id], order_by="id desc", limit=limit, offset=offset
            )
        )
    )
