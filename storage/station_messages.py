"""A log of station messages kept as sent: notifications, data transfers, certificate requests."""
from __future__ import annotations

import json
from typing import Any

from storage import commands, utc_now_iso
from storage.database import Store, keep_newest

# Messages kept per station (a station must not fill the disk with DataTransfers); older ones are dropped.
MESSAGES_PER_STATION = 1000


def add_station_message(
    store: Store,
    cs_id: str,
    action: str,
    body: dict[str, Any] | str,
    request_id: int | None = None,
    answers: tuple[str, ...] = (),
) -> int:
    """Store one message durably (a dict is kept as JSON text); returns its id.

    With `answers` (command actions the message reports on), it is linked to the station's latest such command,
    the one with the same requestId when the message has one.
    """
    row = {
        "cs_id": cs_id,
        "action": action,
        "request_id": request_id,
        "body": body if isinstance(body, str) else json.dumps(body, separators=(",", ":")),
        "received_at": utc_now_iso(),
    }
    def job(db: Any) -> int:
        if answers:
            row["command_id"] = commands.find_reported_command(db, cs_id, answers, request_id)
        message_id = db["station_messages"].insert(row).last_pk
        keep_newest(db, "station_messages", cs_id, MESSAGES_PER_STATION)
        return message_id

    return store.write(job)
