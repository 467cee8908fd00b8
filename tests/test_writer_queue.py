"""While the writer cannot commit (another process holds the file), best-effort writes stop queueing at the bound
instead of growing without limit; durable ones wait for their commit and all land once the file is free."""
from __future__ import annotations

import sqlite3
import threading

from storage import database
from storage.database import Store


def test_best_effort_writes_are_bounded_while_the_writer_is_held_and_durable_ones_land(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "MAX_QUEUED_JOBS", 100)
    store = Store(tmp_path / "q.sqlite3")
    store.write(lambda db: db.execute("CREATE TABLE seen (n INTEGER)"))
    holder = sqlite3.connect(tmp_path / "q.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the writer's next BEGIN waits for this lock
    store.write_later(lambda db: db.execute("INSERT INTO seen VALUES (-1)"))  # the writer picks it up and waits
    durable = threading.Thread(target=lambda: store.write(lambda db: db.execute("INSERT INTO seen VALUES (0)")))
    durable.start()
    for n in range(1, 1001):
        store.write_later(lambda db, n=n: db.execute("INSERT INTO seen VALUES (?)", [n]))
    try:
        assert len(store._jobs) <= 100 and store.dropped_writes >= 900
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    durable.join(timeout=30)
    stored = store.read(lambda db: {row[0] for row in db.execute("SELECT n FROM seen")})
    store.close()
    assert 0 in stored and -1 in stored and len(stored) <= 102
