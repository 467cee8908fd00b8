"""The newest OCPP frames of each station, in and out, kept in a bounded table for the dashboard.

One row per exchange where both halves are known at once (a station's CALL with our answer, a bad frame with our
CALLERROR), else one per frame (our CALL, the station's answer to it). Written best-effort: rows wait in memory
and go to SQLite in one job per writer batch, never delaying the station that sent them.
"""
from __future__ import annotations

from typing import Any

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store, insert_values, keep_newest

COLUMNS = ("cs_id", "at", "direction", "message_type", "message_id", "action", "frame", "reply")
DEFAULT_PER_STATION = 100
# A station's rows are trimmed back to its bound once this many more have been written since its last trim: one
# DELETE per this many frames instead of one per frame.
TRIM_SLACK = 50


class FrameLog:
    """Buffers frames and writes them with one job per writer batch; each station keeps its newest `per_station`
    (up to TRIM_SLACK more between trims)."""

    def __init__(self, store: Store, per_station: int = DEFAULT_PER_STATION) -> None:
        self.store = store
        self.per_station = per_station
        self._rows: list[tuple] = []
        self._since_trim: dict[str, int] = {}

    def record(
        self, cs_id: str, direction: str, message_type: int | None, message_id: str | None, action: str | None,
        frame: str, reply: str | None = None, at: str | None = None,
    ) -> None:
        """Keep one frame (with the reply that answered it at once, if any) seen `at` (default now); returns at once."""
        rows = self._rows
        if not rows:  # the first row since the last flush queues the job that writes them all
            self.store.write_later(self._flush)
        rows.append((cs_id, at or utc_now_iso(), direction, message_type, message_id, action, frame, reply))

    def _flush(self, db: sqlite_utils.Database) -> None:
        rows, self._rows = self._rows, []
        insert_values(db, "frame_log", COLUMNS, rows)
        counts = self._since_trim
        for row in rows:
            count = counts.get(row[0], 0) + 1
            if count < TRIM_SLACK:
                counts[row[0]] = count
                continue
            counts[row[0]] = 0
            keep_newest(db, "frame_log", row[0], self.per_station)


def list_frames(store: Store, cs_id: str, limit: int = DEFAULT_PER_STATION) -> list[dict[str, Any]]:
    """The station's newest frames, newest first, each with `command_id`: the command of ours it belongs to."""
    sql = f"SELECT id, {', '.join(COLUMNS)} FROM frame_log WHERE cs_id = ? ORDER BY id DESC LIMIT ?"

    def read(db: sqlite_utils.Database) -> list[dict[str, Any]]:
        frames = [dict(row) for row in db.query(sql, [cs_id, limit])]
        commands = commands_of_messages(db, cs_id, [frame["message_id"] for frame in frames])
        for frame in frames:
            frame["command_id"] = commands.get(frame["message_id"])
        return frames

    return store.read(read)


def commands_of_messages(db: sqlite_utils.Database, cs_id: str, message_ids: list[str | None]) -> dict[str, int]:
    """message id -> the id of the station's command that last went out with it, inside a read."""
    wanted = sorted({message_id for message_id in message_ids if message_id})
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    sql = f"SELECT message_id, id FROM commands WHERE cs_id = ? AND message_id IN ({marks})"
    return {row[0]: row[1] for row in db.execute(sql, [cs_id, *wanted])}
