"""What stations reported: device model variables (NotifyReport / NotifyEvent) and events (security, notifications)."""
from __future__ import annotations

import json
from typing import Any

from marshmallow import fields, pre_dump, validate

from schemas.common import BaseSchema, PageArgsSchema

EVENT_KINDS = ("security", "notification")


class StationReportListArgsSchema(PageArgsSchema):
    """Paging of GET /cs/{csId}/variables and /events."""


class VariableSchema(BaseSchema):
    """One attribute of a reported variable; instance and EVSE are null when the station named none."""

    component = fields.String(required=True)
    component_instance = fields.String(data_key="componentInstance", allow_none=True)
    evse_id = fields.Integer(data_key="evseId", allow_none=True)
    connector_id = fields.Integer(data_key="connectorId", allow_none=True)
    variable = fields.String(required=True)
    variable_instance = fields.String(data_key="variableInstance", allow_none=True)
    attribute_type = fields.String(
        data_key="attributeType", required=True, validate=validate.OneOf(("Actual", "Target", "MinSet", "MaxSet"))
    )
    value = fields.String(allow_none=True)
    mutability = fields.String(allow_none=True, validate=validate.OneOf(("ReadOnly", "WriteOnly", "ReadWrite")))
    persistent = fields.Boolean(allow_none=True)
    constant = fields.Boolean(allow_none=True)
    characteristics = fields.Dict(
        allow_none=True, metadata={"description": "variableCharacteristics as the station sent them"}
    )
    request_id = fields.Integer(data_key="requestId", allow_none=True)
    updated_at = fields.String(data_key="updatedAt", allow_none=True)

    @pre_dump
    def unpack(self, row: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Storage keeps "" and 0 for "none" so the composite key stays unique.
        row = dict(row)
        for name in ("component_instance", "variable_instance"):
            row[name] = row.get(name) or None
        for name in ("evse_id", "connector_id"):
            row[name] = row.get(name) or None
        if row.get("characteristics"):
            row["characteristics"] = json.loads(row["characteristics"])
        return row


class StationEventSchema(BaseSchema):
    """A security event (type, timestamp, techInfo) or a stored notification (action as type, requestId, body)."""

    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    id = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"description": "security event type, or the OCPP action"})
    timestamp = fields.String(allow_none=True)
    tech_info = fields.String(data_key="techInfo", allow_none=True)
    request_id = fields.Integer(data_key="requestId", allow_none=True)
    command_id = fields.Integer(
        data_key="commandId", allow_none=True, metadata={"description": "the command a status notification reports on"}
    )
    body = fields.Raw(allow_none=True, metadata={"description": "the notification as sent (null for security events)"})
    received_at = fields.String(data_key="receivedAt", required=True)

    @pre_dump
    def parse_body(self, row: dict[str, Any], **_: Any) -> dict[str, Any]:
        return row | {"body": json.loads(row["body"]) if row.get("body") else None}

