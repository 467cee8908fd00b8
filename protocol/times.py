"""Times as OCPP stations send them (RFC 3339 with an offset) and as we store them (UTC, milliseconds, Z)."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_instant(timestamp: str) -> str | None:
    """An ISO 8601 time with an offset as UTC with milliseconds and a Z (stored times compare as text); None when
    it is no such time."""
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> str:
    """Now in the stored form (UTC, milliseconds, Z)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
