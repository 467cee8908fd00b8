"""Transaction and its MeterValue samples, as the read endpoints answer them."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from schemas.common import BaseSchema, PageArgsSchema

METER_VALUES_PER_PAGE = 1000  # the most of a meterValues page, and how many the transaction detail holds


class MeterValueSchema(BaseSchema):
    """One sampled value, as the station sent it."""

    timestamp = fields.String(allow_none=True)
    evse_id = fields.Integer(data_key="evseId", allow_none=True)
    connector_id = fields.Integer(data_key="connectorId", allow_none=True)
    value = fields.String(allow_none=True)
    context = fields.String(allow_none=True)
    format = fields.String(allow_none=True)
    measurand = fields.String(allow_none=True)
    phase = fields.String(allow_none=True)
    location = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    signed_data = fields.String(data_key="signedData", allow_none=True)


def json_columns(schema: Schema) -> dict[str, str]:
    """What `schema` dumps, as JSON key -> attribute (the storage column), for JSON that SQLite builds itself."""
    return {field.data_key or name: field.attribute or name for name, field in schema.dump_fields.items()}


METER_VALUE_FIELDS = json_columns(MeterValueSchema())


class TransactionSchema(BaseSchema):
    """A charging transaction."""

    transaction_id = fields.String(data_key="transactionId", required=True)
    cs_id = fields.String(data_key="csId", required=True)
    evse_id = fields.Integer(data_key="evseId", allow_none=True)
    connector_id = fields.Integer(data_key="connectorId", allow_none=True)
    id_token = fields.String(data_key="idToken", allow_none=True)
    started_at = fields.String(data_key="startedAt", allow_none=True)
    stopped_at = fields.String(data_key="stoppedAt", allow_none=True)
    meter_start = fields.Float(data_key="meterStart", allow_none=True)
    meter_stop = fields.Float(data_key="meterStop", allow_none=True)
    energy = fields.Float(allow_none=True)
    stop_reason = fields.String(data_key="stopReason", allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "ended")))


class TransactionDetailSchema(TransactionSchema):
    """A transaction with its meter values."""

    meter_values = fields.List(fields.Nested(MeterValueSchema), data_key="meterValues", required=True)


class TransactionListArgsSchema(PageArgsSchema):
    """Filter and paging of GET /transactions."""

    cs_id = fields.String(data_key="csId", validate=validate.Length(min=1, max=48))


class TransactionLookupArgsSchema(BaseSchema):
    """Which station's transaction, when ids of several stations coincide."""

    cs_id = fields.String(data_key="csId", validate=validate.Length(min=1, max=48))


class MeterValuePageArgsSchema(PageArgsSchema, TransactionLookupArgsSchema):
    """Which transaction's meter values, and which of them: offset ≥ 0 (default 0), limit 1–1,000 (default 1,000)."""

    limit = fields.Integer(load_default=METER_VALUES_PER_PAGE, validate=validate.Range(min=1, max=METER_VALUES_PER_PAGE))
