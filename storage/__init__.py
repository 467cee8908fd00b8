"""The only door to SQLite: the Store, plus plain functions per table group in the modules beside it."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import Flask, current_app

from storage.database import Store

__all__ = ["Store", "init_app", "current", "utc_now_iso"]


def utc_now_iso() -> str:
    """Now in UTC as ISO 8601 with milliseconds and a Z, the form every stored time uses."""
    global _last_iso
    milliseconds = time.time_ns() // 1_000_000
    last = _last_iso
    if milliseconds == last[0]:  # thousands of messages a second share a few hundred distinct values
        return last[1]
    text = datetime.fromtimestamp(milliseconds / 1000, timezone.utc).isoformat(timespec="milliseconds")
    _last_iso = (milliseconds, text.replace("+00:00", "Z"))
    return _last_iso[1]


_last_iso: tuple[int, str] = (-1, "")


def init_app(app: Flask, store: Store) -> None:
    """Attach the store to a Flask app; views reach it through `current()`."""
    app.extensions["csms_store"] = store


def current() -> Store:
    """The store of the app handling this request."""
    return current_app.extensions["csms_store"]
