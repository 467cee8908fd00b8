"""OCPP 1.6 StatusNotification: connector N is listed as EVSE N connector 1, connector 0 as the whole station."""
from __future__ import annotations

from handlers.routing import CallContext
from handlers.v16 import routes
from storage import connectors, station_runtime, utc_now_iso


def evse_and_connector(connector_id: int) -> tuple[int, int]:
    """OCPP 2.0.1's own mapping of a 1.6 connector id to (evseId, connectorId)."""
    return (connector_id, 1) if connector_id else (0, 0)


@routes.on("StatusNotification")
def status_notification(ctx: CallContext, payload: dict) -> dict:
    evse_id, connector_id = evse_and_connector(payload["connectorId"])
    connectors.save_status(
        ctx.store,
        ctx.cs_id,
        evse_id,
        connector_id,
        payload["status"],
        payload["errorCode"],
        payload.get("info"),
        payload.get("vendorId"),
        payload.get("vendorErrorCode"),
        payload.get("timestamp") or utc_now_iso(),
    )
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {}
