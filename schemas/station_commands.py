"""Bodies of `POST /cs/{csId}/call` and of the typed command endpoints, built from outbox.typed.OPERATIONS."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from outbox.typed import OPERATIONS, Field
from schemas.common import BaseSchema, StrictInteger


class CallSchema(BaseSchema):
    """Any CSMS-initiated action of the station's OCPP version, with its payload as the spec defines it."""

    action = fields.String(required=True, validate=validate.Length(min=1, max=64))
    payload = fields.Dict(required=True)


def _string_or_integer(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError("must be a string or an integer")


def _marshmallow_field(field: Field) -> fields.Field:
    options: dict[str, Any] = {"required": field.required}
    if field.enum:
        options["validate"] = validate.OneOf(field.enum)
    if field.type == "string":
        return fields.String(**options)
    if field.type == "integer":
        return StrictInteger(**options)
    if field.type == "object":
        return fields.Dict(**options)
    if field.type == "array":
        return fields.List(fields.Raw(), **options)
    if field.type == "string|integer":
        return fields.Raw(validate=_string_or_integer, metadata={"oneOf": [{"type": "string"}, {"type": "integer"}]}, **options)
    return fields.Raw(**options)


def _schema_name(operation: str) -> str:
    return operation[0].upper() + operation[1:] + "Request"


TYPED_SCHEMAS: dict[str, type[BaseSchema]] = {
    name: BaseSchema.from_dict(
        {field_name: _marshmallow_field(field) for field_name, field in spec.fields.items()}, name=_schema_name(name)
    )
    for name, spec in OPERATIONS.items()
}
