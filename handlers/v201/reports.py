"""OCPP 2.0.1 NotifyReport and NotifyEvent: the station's device model and changes to its actual values."""
from __future__ import annotations

import json
from typing import Any

from handlers.routing import CallContext
from handlers.v201 import routes
from handlers.notifications import record_message
from storage import device_model, utc_now_iso


def variable_key(cs_id: str, component: dict, variable: dict, attribute_type: str = "Actual") -> dict[str, Any]:
    """The device_model key of one attribute; absent instances and EVSE are "" and 0 so the key stays unique."""
    evse = component.get("evse") or {}
    return {
        "cs_id": cs_id,
        "component": component["name"],
        "component_instance": component.get("instance", ""),
        "evse_id": evse.get("id", 0),
        "connector_id": evse.get("connectorId", 0),
        "variable": variable["name"],
        "variable_instance": variable.get("instance", ""),
        "attribute_type": attribute_type,
    }


def report_rows(cs_id: str, request_id: int, report_data: list[dict]) -> list[dict[str, Any]]:
    """One device_model row per variableAttribute, spec defaults applied (Actual, ReadWrite, not persistent)."""
    now = utc_now_iso()
    rows = []
    for item in report_data:
        characteristics = item.get("variableCharacteristics")
        for attribute in item["variableAttribute"]:
            row = variable_key(cs_id, item["component"], item["variable"], attribute.get("type", "Actual"))
            row.update(
                value=attribute.get("value"),
                mutability=attribute.get("mutability", "ReadWrite"),
                persistent=int(attribute.get("persistent", False)),
                constant=int(attribute.get("constant", False)),
                characteristics=json.dumps(characteristics, separators=(",", ":")) if characteristics else None,
                request_id=request_id,
                updated_at=now,
            )
            rows.append(row)
    return rows


@routes.on("NotifyReport")
def notify_report(ctx: CallContext, payload: dict) -> dict:
    # Parts with tbc true are followed by more; each part's rows are added to what came before.
    rows = report_rows(ctx.cs_id, payload["requestId"], payload.get("reportData", []))
    device_model.upsert_variables(ctx.store, rows)
    summary = {key: payload[key] for key in ("requestId", "seqNo", "generatedAt", "tbc") if key in payload}
    record_message(ctx, summary | {"attributes": len(rows)})
    return {}


@routes.on("NotifyEvent")
def notify_event(ctx: CallContext, payload: dict) -> dict:
    now = utc_now_iso()
    actual_values = [
        variable_key(ctx.cs_id, event["component"], event["variable"]) | {"value": event["actualValue"], "updated_at": now}
        for event in payload["eventData"]
    ]
    device_model.upsert_variables(ctx.store, actual_values)
    record_message(ctx, payload)
    return {}
