"""A station's local authorisation list as GET /cs/{csId}/local-list answers it."""
from __future__ import annotations

from typing import Any

from marshmallow import fields, pre_dump

from schemas.common import BaseSchema


class LocalListEntrySchema(BaseSchema):
    """One entry of the list the station holds."""

    id_token = fields.String(data_key="idToken", required=True)
    status = fields.String(required=True, metadata={"description": "Accepted, Blocked (or as an operator sent it)"})
    group_id = fields.String(data_key="groupId", allow_none=True)
    id_token_type = fields.String(data_key="idTokenType", allow_none=True, metadata={"description": "2.0.1 only"})


class LocalListSchema(BaseSchema):
    """What the station's list holds as far as we know: the version it acknowledged and the one it last reported."""

    version = fields.Integer(
        allow_none=True, metadata={"description": "Acknowledged by the station; null: unknown (never sent, or mismatch)"}
    )
    reported_version = fields.Integer(
        data_key="reportedVersion", allow_none=True, metadata={"description": "Its last GetLocalListVersion answer"}
    )
    reported_at = fields.String(data_key="reportedAt", allow_none=True)
    in_sync = fields.Boolean(
        data_key="inSync", allow_none=True,
        metadata={"description": "reportedVersion equals version; null: either unknown or reported before it"},
    )  # fmt: skip
    entries = fields.List(fields.Nested(LocalListEntrySchema), required=True)
    updated_at = fields.String(data_key="updatedAt", allow_none=True)

    @pre_dump
    def listed(self, known: dict[str, Any], **_: Any) -> dict[str, Any]:
        entries = [
            {"id_token": uid, "status": entry["status"], "group_id": entry.get("groupId"),
             "id_token_type": entry.get("type")}
            for uid, entry in sorted(known["entries"].items())
        ]  # fmt: skip
        return known | {"entries": entries}
