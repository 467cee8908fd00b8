"""OCPI 2.2.1 base types as marshmallow fields: CiString(n), string(n), DateTime, URL, DisplayText; and the one way
a validation failure is said."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from protocol.times import utc_instant
from schemas.common import BaseSchema, StrictBoolean

__all__ = ["BaseSchema", "StrictBoolean", "string", "date_time_field", "url_field", "enum", "describe"]


def string(maximum: int, required: bool = True, minimum: int = 0) -> fields.String:
    """string(n) / CiString(n)."""
    return fields.String(required=required, validate=validate.Length(min=minimum, max=maximum))


def _check_time(value: str) -> None:
    if utc_instant(value) is None and utc_instant(value + "Z") is None:
        raise ValidationError("must be an RFC 3339 date-time")


def date_time_field(required: bool = True) -> fields.String:
    """DateTime: RFC 3339 (UTC when no zone is given)."""
    return fields.String(required=required, validate=[validate.Length(max=25), _check_time])


def url_field(required: bool = True) -> fields.Url:
    """URL: http or https, hosts without a top-level domain allowed (partners on a LAN)."""
    return fields.Url(required=required, require_tld=False, schemes={"http", "https"}, validate=validate.Length(max=255))


def enum(*values: str, required: bool = True) -> fields.String:
    """An enum value."""
    return fields.String(required=required, validate=validate.OneOf(values))


class DisplayTextSchema(BaseSchema):
    """DisplayText."""

    language = string(2)
    text = string(512)


def describe(error: ValidationError) -> str:
    """A marshmallow error as one line: `field.sub: message`."""
    parts: list[str] = []

    def walk(messages: Any, path: str) -> None:
        if isinstance(messages, dict):
            for key, value in messages.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(messages, list) and messages and all(isinstance(item, str) for item in messages):
            parts.append(f"{path or 'body'}: {' '.join(messages)}")
        elif isinstance(messages, list):
            for item in messages:
                walk(item, path)
        else:
            parts.append(f"{path or 'body'}: {messages}")

    walk(error.messages, "")
    return "; ".join(parts)[:500]
