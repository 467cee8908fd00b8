"""Per-station logs keep only each station's newest rows; other stations' rows are untouched."""
from __future__ import annotations

from storage import Store, connectors, security_events, station_messages


def count(store: Store, table: str, cs_id: str) -> int:
    return store.read(lambda db: db.execute(f"SELECT count(*) FROM {table} WHERE cs_id = ?", [cs_id]).fetchone()[0])


def test_each_log_keeps_the_newest_rows_per_station(tmp_path, monkeypatch):
    monkeypatch.setattr(security_events, "EVENTS_PER_STATION", 3)
    monkeypatch.setattr(station_messages, "MESSAGES_PER_STATION", 3)
    monkeypatch.setattr(connectors, "HISTORY_PER_STATION", 3)
    store = Store(tmp_path / "logs.sqlite3")
    try:
        now = "2026-11-27T00:00:00.000Z"
        store.write(lambda db: db["stations"].insert_all(
            {"id": cs_id, "security_profile": 0, "invalid_username_allowed": 0, "created_at": now, "updated_at": now}
            for cs_id in ("CS1", "OTHER")
        ))
        security_events.add_security_event(store, "OTHER", "Kept", None, None)
        for number in range(5):
            security_events.add_security_event(store, "CS1", f"Event{number}", None, None)
            station_messages.add_station_message(store, "CS1", "DataTransfer", {"n": number})
            connectors.save_status(store, "CS1", 1, 1, "Available" if number % 2 else "Occupied")
        assert (count(store, "security_events", "CS1"), count(store, "security_events", "OTHER")) == (3, 1)
        assert count(store, "station_messages", "CS1") == 3
        assert count(store, "status_history", "CS1") == 3
        kept = store.read(lambda db: [r[0] for r in db.execute("SELECT type FROM security_events WHERE cs_id = 'CS1' ORDER BY id")])
        assert kept == ["Event2", "Event3", "Event4"]
    finally:
        store.close()
