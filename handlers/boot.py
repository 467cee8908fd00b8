"""BootNotification and Heartbeat answers shared by every OCPP version."""
from __future__ import annotations

from typing import Any

from handlers.routing import CallContext
from storage import station_runtime, utc_now_iso


def accept_boot(ctx: CallContext, facts: dict[str, Any]) -> dict:
    """Store the station's boot facts durably and answer Accepted with the configured heartbeat interval."""
    station_runtime.save_boot(ctx.store, ctx.cs_id, facts, "Accepted")
    return {"status": "Accepted", "currentTime": utc_now_iso(), "interval": ctx.config.heartbeat_interval}


def heartbeat(ctx: CallContext, payload: dict) -> dict:
    """Refresh last seen and tell the station our time."""
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"currentTime": utc_now_iso()}
