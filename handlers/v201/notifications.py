"""OCPP 2.0.1 notifications kept as sent in the station's message log, answered with a fixed payload."""
from __future__ import annotations

from typing import Any

from handlers.notifications import record_message
from handlers.routing import CallContext, Handler
from handlers.v201 import routes

# Action → our answer. Each is stored with its requestId (if any), which links it to the command that asked.
LOGGED_ACTIONS: dict[str, dict[str, Any]] = {
    "FirmwareStatusNotification": {},
    "PublishFirmwareStatusNotification": {},
    "LogStatusNotification": {},
    "NotifyMonitoringReport": {},
    "NotifyChargingLimit": {},
    "ClearedChargingLimit": {},
    # We compute no charging schedules, so we cannot take the EV's needs into account.
    "NotifyEVChargingNeeds": {"status": "Rejected"},
    "NotifyEVChargingSchedule": {"status": "Accepted"},
    "ReportChargingProfiles": {},
    "NotifyCustomerInformation": {},
    "NotifyDisplayMessages": {},
}


def _logged(answer: dict[str, Any]) -> Handler:
    def handler(ctx: CallContext, payload: dict) -> dict:
        record_message(ctx, payload)
        return dict(answer)

    return handler


for _action, _answer in LOGGED_ACTIONS.items():
    routes.on(_action)(_logged(_answer))
