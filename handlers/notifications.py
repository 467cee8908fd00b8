"""Station messages kept as sent (notifications, data transfers, CSRs), linked to the command they report on."""
from __future__ import annotations

from handlers.routing import CallContext
from storage import station_messages, station_runtime

# The commands whose progress a status notification reports (both OCPP versions).
REPORTS_ON: dict[str, tuple[str, ...]] = {
    "DiagnosticsStatusNotification": ("GetDiagnostics",),
    "FirmwareStatusNotification": ("UpdateFirmware",),
    "SignedFirmwareStatusNotification": ("SignedUpdateFirmware",),
    "PublishFirmwareStatusNotification": ("PublishFirmware",),
    "LogStatusNotification": ("GetLog",),
    "NotifyCustomerInformation": ("CustomerInformation",),
}


def record_message(ctx: CallContext, payload: dict) -> None:
    """Refresh last seen and store the message as sent, durably, linked to the command it reports on."""
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    station_messages.add_station_message(
        ctx.store, ctx.cs_id, ctx.action, payload, payload.get("requestId"), REPORTS_ON.get(ctx.action, ())
    )
