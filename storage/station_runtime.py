"""What the gateway and handlers learn about a station: connection state, last seen, boot facts."""
from __future__ import annotations

import json
import time
import weakref
from typing import Any

from storage import utc_now_iso
from storage.database import Store

BOOT_FIELDS = (
    "vendor",
    "model",
    "serial_number",
    "charge_box_serial_number",
    "firmware_version",
    "iccid",
    "imsi",
    "meter_type",
    "meter_serial_number",
    "boot_reason",
)


def mark_connected(store: Store, cs_id: str, ocpp_version: str, remote_address: str | None) -> None:
    """Record a new live connection (durable: the API shows it at once)."""
    now = utc_now_iso()
    store.write(
        lambda db: db["stations"].update(
            cs_id,
            {
                "connected": 1,
                "ocpp_version": ocpp_version,
                "remote_address": remote_address,
                "connected_at": now,
                "last_seen": now,
            },
        )
    )


def mark_disconnected(store: Store, cs_id: str) -> None:
    """Record that the station's connection closed; last seen is kept."""
    now = utc_now_iso()

    def job(db: Any) -> None:
        db.execute(
            "UPDATE stations SET connected = 0, disconnected_at = ? WHERE id = ?", [now, cs_id]
        )

    store.write(job)


# Last-seen times waiting for the writer, per store: one job per batch updates them all (a job per Heartbeat
# made the writer's per-job savepoints the largest cost of a Heartbeat). A station marked again within
# SEEN_RESOLUTION seconds is not written again: last seen is kept to about a second.
_unseen: weakref.WeakKeyDictionary[Store, dict[str, str]] = weakref.WeakKeyDictionary()
_marked: weakref.WeakKeyDictionary[Store, dict[str, float]] = weakref.WeakKeyDictionary()
SEEN_RESOLUTION = 1.0


def mark_seen(store: Store, cs_id: str) -> None:
    """Refresh last seen; best-effort, coalesced into one UPDATE per commit batch."""
    marked = _marked.setdefault(store, {})
    now = time.monotonic()
    if now - marked.get(cs_id, -SEEN_RESOLUTION) < SEEN_RESOLUTION:
        return
    marked[cs_id] = now
    buffer = _unseen.get(store)
    if buffer is None:
        buffer = _unseen[store] = {}
        store.write_later(lambda db: _flush_seen(db, store, buffer))
    buffer[cs_id] = utc_now_iso()


def _flush_seen(db: Any, store: Store, buffer: dict[str, str]) -> None:
    if _unseen.get(store) is buffer:
        del _unseen[store]  # later marks start a new buffer with its own job
    rows = [(seen, cs_id) for cs_id, seen in list(buffer.items())]
    db.conn.executemany("UPDATE stations SET last_seen = ? WHERE id = ?", rows)


def save_boot(store: Store, cs_id: str, facts: dict[str, Any], boot_status: str) -> None:
    """Store what a BootNotification said and our answer to it, durably."""
    now = utc_now_iso()
    row = {name: facts.get(name) for name in BOOT_FIELDS}
    row.update(boot_status=boot_status, boot_at=now, last_seen=now)
    store.write(lambda db: db["stations"].update(cs_id, row))


def reset_connections(store: Store) -> None:
    """At start no station is connected, whatever the file says after a crash."""
    store.write(lambda db: db.execute("UPDATE stations SET connected = 0 WHERE connected = 1"))


def get_credentials(store: Store, cs_ids: list[str]) -> dict[str, tuple]:
    """The auth columns (security_profile, password_hash, invalid_username_allowed) of the given stations."""
    sql = (
        "SELECT id, security_profile, password_hash, invalid_username_allowed FROM stations"
        " WHERE id IN (SELECT value FROM json_each(?))"
    )
    return store.read(lambda db: {row[0]: tuple(row[1:]) for row in db.execute(sql, [json.dumps(cs_ids)])})


def auth_changes_since(store: Store, after_id: int) -> tuple[int, set[str]]:
    """(newest change id, stations whose credentials changed or that were deleted after `after_id`)."""

    def read(db: Any) -> tuple[int, set[str]]:
        rows = db.execute("SELECT id, cs_id FROM station_auth_changes WHERE id > ?", [after_id]).fetchall()
        return max((row[0] for row in rows), default=after_id), {row[1] for row in rows}

    return store.read(read)


def last_auth_change(store: Store) -> int:
    """The newest change id so far (0 for none): where the gateway starts watching."""
    return store.read(lambda db: db.execute("SELECT coalesce(max(id), 0) FROM station_auth_changes").fetchone()[0])
