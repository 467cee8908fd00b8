"""OCPP 1.6 Authorize."""
from __future__ import annotations

from handlers.authorization import id_tag_info
from handlers.routing import CallContext
from handlers.v16 import routes
from storage import station_runtime


@routes.on("Authorize")
def authorize(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {"idTagInfo": id_tag_info(ctx.store, payload["idTag"], ctx.cs_id)}
