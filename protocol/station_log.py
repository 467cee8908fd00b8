"""Log lines about one station: named by its id, with whatever it sent escaped so it can never forge a line."""
from __future__ import annotations

import logging
from typing import Any

from protocol.errors import trimmed

MAX_LOGGED = 200  # characters of one station-supplied value in a log line


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, limit: int = MAX_LOGGED) -> str:
    """`text` for a log line: control and other unprintable characters (newlines, ANSI escapes, U+2028) escaped,
    at most `limit` characters."""
    text = text[: limit + 1]
    if not text.isprintable():
        text = "".join(char if char.isprintable() else _escape(char) for char in text)
    return trimmed(text, limit)


def _loggable(value: Any) -> Any:
    return value if isinstance(value, (int, float)) else printable(str(value))


class StationLog(logging.LoggerAdapter):
    """Logger that names the station on every line and escapes every argument (message ids, actions, error texts
    and the like come from the station)."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs["extra"] = {**kwargs.get("extra", {}), "cs_id": self.extra["cs_id"]}  # for JSON logs
        return f"[{self.extra['cs_id']}] {msg}", kwargs

    def log(self, level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            msg, kwargs = self.process(msg, kwargs)
            self.logger.log(level, msg, *map(_loggable, args), **kwargs)
