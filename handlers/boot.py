"""BootNotification and Heartbeat answers shared by every OCPP version."""
from __future__ import annotations

from typing import Any

from handlers.routing import CallContext
from storage import commands, station_runtime, utc_now_iso


def answer_boot(ctx: CallContext, facts: dict[str, Any]) -> dict:
    """Store the station's boot facts durably and answer Accepted with the configured heartbeat interval, or
    Pending (when so configured) while provisioning commands (reconfigure, certificates) wait for it."""
    if ctx.config.boot_pending_while_provisioning and commands.has_open_provisioning(ctx.store, ctx.cs_id):
        status, interval = "Pending", ctx.config.boot_pending_interval
    else:
        status, interval = "Accepted", ctx.config.heartbeat_interval
    station_runtime.save_boot(ctx.store, ctx.cs_id, facts, status)
    return {"status": status, "currentTime": utc_now_iso(), "interval": interval}


def heartbeat(ctx: CallContext, payload: dict) -> dict:
    """Refresh last seen and tell the station our time."""
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"currentTime": utc_now_iso()}
