"""The one SQLite file: WAL, pooled read connections and the single writer with group commit."""
from __future__ import annotations

import functools
import itertools
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

import sqlite_utils

from storage.migrations import migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
WriteJob = Callable[[sqlite_utils.Database], T]

# How long the writer waits for more jobs before committing a batch.
GROUP_COMMIT_WINDOW = 0.002
MAX_BATCH = 500
BUSY_TIMEOUT_MS = 30000
CHECKPOINT_PAGES = 10000  # ~40 MiB of WAL
# The writer's page cache. SQLite's default 2 MiB missed often at a thousand stations (each miss a pread of
# a page of another station's transaction); the pages a batch changes also stay here until its commit.
WRITER_CACHE_KIB = 65536
# Durable writes are bounded by their callers (each station, each API request waits for its own commit); this bounds
# the best-effort ones.
MAX_QUEUED_JOBS = 50_000
STUCK_SECONDS = 10.0  # a batch taking longer than this means the disk or a lock holds the writer
PURGE_BUSY_TIMEOUT_MS = 2000  # how long a WAL purge waits for readers of an older snapshot
# The thread of `Store.read_off_hub`: a pool of its own, so that API reads never delay the writer's COMMIT on gevent's
# threadpool, and one thread, so that they never take more than one core.
READ_THREADS = 1
# Its nice value (Linux: per thread): when the cores are busy, the kernel runs the event loop first. At 50 big reads a
# second (no station traffic), event loop stalls over 2 ms: 37-125 per 8 s at nice 0, 3-8 at nice 19, 5 without reads.
READ_NICE = 19


def _on_gevent() -> bool:
    """Whether gevent patched threading (the server): blocking work must then leave the event loop."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return monkey.is_module_patched("threading")


def _run_off_hub(function: Callable[[], T]) -> T:
    """Run blocking SQLite work on gevent's threadpool when gevent patched threading, else inline."""
    if _on_gevent():
        import gevent

        return gevent.get_hub().threadpool.apply(function)
    return function()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30, cached_statements=512)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# Hot-path statements. sqlite-utils' insert_all/upsert/rows_where re-read the table's schema on every call
# (~150 us for a 10-row insert against ~15 us of SQLite work); the per-message paths use these cached
# statements instead, everything else keeps sqlite-utils.
MAX_ROWS_PER_STATEMENT = 100  # x columns stays far below SQLite's 32,766 parameters


@functools.lru_cache(maxsize=1024)
def _insert_sql(table: str, columns: tuple[str, ...], count: int) -> str:
    group = f"({', '.join('?' for _ in columns)})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([group] * count)}"


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows that share the first row's columns, with cached statements."""
    if rows:
        columns = tuple(rows[0])
        insert_values(db, table, columns, [tuple(map(row.get, columns)) for row in rows])


def insert_values(db: sqlite_utils.Database, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
    """Insert rows given as tuples in `columns` order: one multi-row INSERT per MAX_ROWS_PER_STATEMENT rows
    (a quarter cheaper than a statement per row)."""
    for start in range(0, len(values), MAX_ROWS_PER_STATEMENT):
        chunk = values[start : start + MAX_ROWS_PER_STATEMENT]
        db.conn.execute(_insert_sql(table, columns, len(chunk)), list(itertools.chain.from_iterable(chunk)))


@functools.lru_cache(maxsize=256)
def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in columns)} WHERE rowid = ?"


def update_row(db: sqlite_utils.Database, table: str, row_id: int, changes: dict[str, Any]) -> None:
    """Set the given columns of the row with this rowid (nothing to do when nothing changed)."""
    if changes:
        db.conn.execute(_update_sql(table, tuple(changes)), [*changes.values(), row_id])


def keep_newest(db: sqlite_utils.Database, table: str, cs_id: str, count: int) -> None:
    """Delete the station's rows of `table` beyond its newest `count` (by id): per-station logs stay bounded."""
    db.execute(
        f"DELETE FROM {table} WHERE cs_id = ? AND id <= ("
        f" SELECT id FROM {table} WHERE cs_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        [cs_id, cs_id, count],
    )


_NAME = itemgetter(0)  # a column's name in cursor.description


def select_one(db: sqlite_utils.Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """The first row of a query as a dict, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    return None if row is None else dict(zip(map(_NAME, cursor.description), row))


@dataclass(frozen=True)
class JsonPage:
    """A slice of a list (`offset`, `limit`) answered as JSON text: each row one object of `fields` (key -> column)."""

    fields: Mapping[str, str]
    offset: int = 0
    limit: int = 1000


_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def select_json_array(db: sqlite_utils.Database, sql: str, params: list[Any], fields: Mapping[str, str]) -> str:
    """The rows of `sql` as one JSON array of objects {key: column}, in the order `sql` gives them. SQLite builds the
    text: no Python object per row, and the GIL stays free meanwhile (marshmallow took 13 ms for 1,000 rows)."""
    for column in fields.values():
        if not _COLUMN.fullmatch(column):
            raise ValueError(f"not a column name: {column!r}")
    pairs = ", ".join(f"?, [{column}]" for column in fields.values())
    # json_group_array takes the rows in the order the subquery yields them: SQLite never flattens a subquery with an
    # ORDER BY into an aggregate query (the query flattener's rule 16), so that order is `sql`'s own.
    found = db.conn.execute(f"SELECT json_group_array(json_object({pairs})) FROM ({sql})", [*fields, *params])
    return found.fetchone()[0]


def _at_low_priority(function: Callable[[sqlite_utils.Database], T], db: sqlite_utils.Database) -> T:
    if sys.platform.startswith("linux"):  # elsewhere PRIO_PROCESS 0 is the whole process
        os.setpriority(os.PRIO_PROCESS, 0, READ_NICE)
    return function(db)


class StorageFull(Exception):
    """A write could not be stored: the disk, or the cap CSMS_DB_MAX_MB, is full."""


class _Job:
    __slots__ = ("function", "done", "result", "error")

    def __init__(self, function: Callable[[sqlite_utils.Database], Any], wait: bool) -> None:
        self.function = function
        self.done = threading.Event() if wait else None
        self.result: Any = None
        self.error: BaseException | None = None


class Store:
    """Owns the database file. `write` goes through one writer; `reader` lends a read connection."""

    def __init__(self, path: Path | str, max_megabytes: int = 0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer_conn = _connect(self.path)
        self._writer_db = sqlite_utils.Database(self._writer_conn)
        self._writer_conn.execute("PRAGMA journal_mode = WAL")
        self._writer_conn.execute("PRAGMA synchronous = FULL")
        # SQLite checkpoints inside the COMMIT that crosses this many WAL pages. The default (1,000 pages) made
        # every second or third busy batch copy the WAL into the file and fsync it; pages changed again and again
        # (transactions, indexes) are copied once per checkpoint, so fewer checkpoints mean less I/O too.
        self._writer_conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        self._writer_conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        # Overwritten and deleted content is zeroed, not left in free space: a station password must not outlive
        # the command that carried it (see `purge_wal` for the WAL's old page versions).
        self._writer_conn.execute("PRAGMA secure_delete = ON")
        if max_megabytes:  # a cap for rigs on small storage: past it, writes fail as on a full disk
            page_size = self._writer_conn.execute("PRAGMA page_size").fetchone()[0]
            self._writer_conn.execute(f"PRAGMA max_page_count = {max_megabytes * 1024 * 1024 // page_size}")
        migrations.apply(self._writer_db)
        self._writer_conn.execute("PRAGMA busy_timeout = 0")  # see _begin
        self._readers: list[sqlite_utils.Database] = []
        self._readers_lock = threading.Lock()
        self._read_pool: Any = None  # gevent ThreadPool of read_off_hub, made on first use
        self._jobs: deque[_Job] = deque()  # appended by anyone, drained by the writer alone
        self._jobs_waiting = threading.Event()
        self._after_commit: list[Callable[[], None]] = []
        self._purge_requested = False
        self.dropped_writes = 0  # best-effort writes dropped because the queue was full
        self._batch_started: float | None = None  # when the writer began the batch it is working on
        self._write_failure: tuple[float, str] | None = None  # when and why a batch last failed to store something
        self._closed = False
        self._thread = threading.Thread(target=self._writer_loop, name="sqlite-writer", daemon=True)
        self._thread.start()

    # -- writes -------------------------------------------------------------------------------
    def write(self, function: WriteJob[T]) -> T:
        """Run `function(db)` in the writer's next batch and return its result after COMMIT."""
        if self._closed:
            raise RuntimeError("store is closed")
        job = _Job(function, wait=True)
        self._queue(job)
        assert job.done is not None
        job.done.wait()
        if isinstance(job.error, sqlite3.OperationalError) and "full" in str(job.error):
            raise StorageFull(str(job.error)) from job.error
        if job.error is not None:
            raise job.error
        return job.result

    def write_later(self, function: WriteJob[Any]) -> None:
        """Queue a best-effort write (last seen, logs); nobody waits for its commit. While the writer is this far
        behind (a stalled disk), such writes are dropped: nobody waits for them, so nothing else would bound them."""
        if self._closed:
            return
        if len(self._jobs) >= MAX_QUEUED_JOBS:
            self.dropped_writes += 1
            if self.dropped_writes % 1000 == 1:
                log.warning("the writer is %d jobs behind: best-effort writes dropped (%d so far)", len(self._jobs),
                            self.dropped_writes)
            return
        self._queue(_Job(function, wait=False))

    def _queue(self, job: _Job) -> None:
        self._jobs.append(job)
        self._jobs_waiting.set()

    def health(self) -> str | None:
        """Why writes cannot be trusted to land now (one failed for want of space or a lock within STUCK_SECONDS, or the
        writer has been stuck in one batch that long), or None when they can."""
        failure = self._write_failure
        if failure is not None and time.monotonic() - failure[0] < STUCK_SECONDS:
            return f"writes fail: {failure[1]}"
        started = self._batch_started
        if started is not None and time.monotonic() - started > STUCK_SECONDS:
            return f"the writer has been in one batch for {time.monotonic() - started:.0f} s"
        return None

    def purge_wal(self) -> None:
        """Checkpoint and truncate the WAL after the next batch: the old versions of overwritten pages leave the
        disk. Rare (a finished password change), since the writer waits for it."""
        self._purge_requested = True
        self._jobs_waiting.set()

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every write batch, committed or not (wake-ups: the outbox, the gateway's watch)."""
        self._after_commit.append(callback)

    def _writer_loop(self) -> None:
        jobs = self._jobs
        while jobs or not self._closed:
            self._jobs_waiting.wait()
            if len(jobs) < MAX_BATCH and not self._closed:
                time.sleep(GROUP_COMMIT_WINDOW)  # let the batch gather
            # Cleared before draining: a job queued after the drain sets it again for the next round.
            self._jobs_waiting.clear()
            batch = [jobs.popleft() for _ in range(min(len(jobs), MAX_BATCH))]
            if jobs:
                self._jobs_waiting.set()
            if batch:
                self._commit_batch(batch)
            if self._purge_requested:
                self._truncate_wal()

    def _commit_batch(self, batch: list[_Job]) -> None:
        self._batch_started = time.monotonic()
        try:
            self._run_batch(batch)
        except BaseException as error:  # COMMIT failed: every job of the batch fails with it
            log.exception("write batch of %d failed", len(batch))
            for job in batch:
                job.error = job.error or error
        finally:
            self._batch_started = None
        storage_errors = [job.error for job in batch if isinstance(job.error, sqlite3.OperationalError)]
        if storage_errors:
            self._write_failure = (time.monotonic(), str(storage_errors[0]))
        for job in batch:
            if job.done is not None:
                job.done.set()
            elif job.error is not None:
                log.warning("best-effort write failed: %s", job.error)
        for callback in self._after_commit:
            try:
                callback()
            except Exception:
                log.exception("after-commit callback failed")

    def _truncate_wal(self) -> None:
        conn = self._writer_conn

        def checkpoint() -> bool:
            conn.execute(f"PRAGMA busy_timeout = {PURGE_BUSY_TIMEOUT_MS}")
            try:
                return conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
            finally:
                conn.execute("PRAGMA busy_timeout = 0")

        self._purge_requested = False
        try:
            done = _run_off_hub(checkpoint)
        except sqlite3.Error as error:
            done = False
            log.warning("WAL checkpoint failed: %s", error)
        if not done:  # a reader held an old snapshot: try again after the next batch
            self._purge_requested = True

    def _begin(self) -> None:
        # Another process writing (the sqlite3 shell) would make BEGIN IMMEDIATE wait on the event loop for up to
        # the busy timeout: try without waiting, and wait off the loop only when the file is busy.
        conn = self._writer_conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise

            def wait_for_lock() -> None:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    conn.execute("PRAGMA busy_timeout = 0")

            _run_off_hub(wait_for_lock)

    def _run_batch(self, batch: list[_Job]) -> None:
        # The jobs run here (short CPU work; a thread hop per batch costs more than it saves under the GIL);
        # only the COMMIT, which waits for fsync, leaves the event loop.
        db, conn = self._writer_db, self._writer_conn
        self._begin()
        try:
            for job in batch:
                conn.execute("SAVEPOINT job")  # one failing job leaves the others of the batch intact
                try:
                    job.result = job.function(db)
                except Exception as error:
                    job.error = error
                    conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
            _run_off_hub(lambda: self._writer_conn.execute("COMMIT"))
        except BaseException:
            if self._writer_conn.in_transaction:
                self._writer_conn.execute("ROLLBACK")
            raise

    # -- reads --------------------------------------------------------------------------------
    @contextmanager
    def reader(self) -> Iterator[sqlite_utils.Database]:
        """Lend a read connection (pooled); keep reads short and indexed."""
        db = self._lend_reader()
        try:
            yield db
        finally:
            self._return_reader(db)

    def _lend_reader(self) -> sqlite_utils.Database:
        with self._readers_lock:
            db = self._readers.pop() if self._readers else None
        if db is None:
            conn = _connect(self.path)
            conn.execute("PRAGMA query_only = ON")
            db = sqlite_utils.Database(conn)
        return db

    def _return_reader(self, db: sqlite_utils.Database) -> None:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        with self._readers_lock:
            self._readers.append(db)

    def read(self, function: Callable[[sqlite_utils.Database], T]) -> T:
        """Run `function(db)` on a read connection and return its result (on the caller's thread: the small indexed
        reads of the station paths, where a thread hop would cost more than the read)."""
        with self.reader() as db:
            return function(db)

    def read_off_hub(self, function: Callable[[sqlite_utils.Database], T]) -> T:
        """Like `read`, but on a native thread when gevent runs (inline otherwise): for reads that may take more than
        a few milliseconds, such as the API's lists and pages. The event loop keeps serving stations meanwhile."""
        pool = self._reading_pool()
        if pool is None:
            return self.read(function)
        db = self._lend_reader()
        try:
            result = pool.apply(_at_low_priority, (function, db))
        except Exception:  # raised by `function`: its thread is done with the connection
            self._return_reader(db)
            raise
        # A killed waiter (GreenletExit, Timeout) skips this: its thread may still be using `db`, so it stays out.
        self._return_reader(db)
        return result

    def _reading_pool(self) -> Any:
        if self._read_pool is None and _on_gevent():
            from gevent.threadpool import ThreadPool

            self._read_pool = ThreadPool(READ_THREADS)
        return self._read_pool

    def close(self) -> None:
        """Let queued writes finish, then close every connection."""
        if self._closed:
            return
        self._closed = True
        self._jobs_waiting.set()
        self._thread.join(timeout=10)
        if self._read_pool is not None:
            self._read_pool.kill()
        with self._readers_lock:
            for db in self._readers:
                db.conn.close()
            self._readers.clear()
        self._writer_conn.close()
