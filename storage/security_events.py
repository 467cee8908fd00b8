"""Security events a station reported (or the CSMS raised about it)."""
from __future__ import annotations

from typing import Any

from storage import utc_now_iso
from storage.database import Store, keep_newest

# Events kept per station (a station must not fill the disk with notifications); older ones are dropped.
EVENTS_PER_STATION = 1000


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
    def job(db: Any) -> int:
        event_id = db["security_events"].insert(row).last_pk
        keep_newest(db, "security_events", cs_id, EVENTS_PER_STATION)
        return event_id

    return store.write(job)


def list_events(store: Store, cs_id: str, offset: int = 0, limit: int = 20) -> list[dict[str, Any]]:
    """The station's security events and stored notifications (station_messages), newest first.

    Each row: kind ("security" or "notification"), id, type (event type or action), timestamp, tech_info,
    request_id, command_id (the command a status notification reports on), body (JSON text as sent, notifications
    only), received_at.
    """
    sql = (
        "SELECT 'security' AS kind, id, type, timestamp, tech_info, NULL AS request_id, NULL AS command_id,"
        " NULL AS body, received_at FROM security_events WHERE cs_id = ?"
        " UNION ALL"
        " SELECT 'notification', id, action, NULL, NULL, request_id, command_id, body, received_at"
        " FROM station_messages WHERE cs_id = ?"
        " ORDER BY received_at DESC, kind, id DESC LIMIT ? OFFSET ?"
    )
    return store.read_off_hub(lambda db: [dict(row) for row in db.query(sql, [cs_id, cs_id, limit, offset])])
