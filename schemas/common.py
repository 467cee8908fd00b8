"""Shared schema pieces: the lenient base schema, strict scalar fields, paging arguments and the error body."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from protocol.times import utc_instant

MAX_OFFSET = 2**31 - 1


def _check_encodable(value: Any) -> None:
    # A lone surrogate (valid JSON "\ud800") cannot be stored as UTF-8: refuse it here, not with a 500 later.
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValidationError("strings must be valid UTF-8 text") from error
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_encodable(key)
            _check_encodable(item)
    elif isinstance(value, list):
        for item in value:
            _check_encodable(item)


class BaseSchema(Schema):
    """Unknown fields are ignored (as the original's JSON decoding did); text must be encodable."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def check_text(self, data: Any, **_: Any) -> Any:
        _check_encodable(data)
        return data


def check_zoned_time(value: str) -> None:
    """An RFC 3339 date-time with a time zone (stations compare it with their own clocks)."""
    if utc_instant(value) is None:
        raise ValidationError("must be an RFC 3339 date-time with a time zone")


class StrictInteger(fields.Integer):
    """An integer that must be a JSON number without a fraction, never a string."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class StrictBoolean(fields.Boolean):
    """A JSON true or false, never 1, "yes" or "true"; dumps SQLite's 0/1 as false/true."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> bool | None:
        return None if value is None else bool(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StatusSchema(Schema):
    """HTTP status: the body of every error answer."""

    status = fields.String(required=True, metadata={"description": "The status description"})
    error = fields.String(metadata={"description": "The error details"})


class PageArgsSchema(BaseSchema):
    """offset ≥ 0 (default 0) and limit 1–100 (default 20) of every list."""

    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
