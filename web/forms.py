"""Form fields turned into the API's request bodies, checked by the API's own schemas and functions, with their
complaints as one line to show beside the form."""
from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

import orjson
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException

from api.errors import describe, describe_messages

T = TypeVar("T")


class FormError(Exception):
    """What is wrong with a form, in the API's words (e.g. `body.trigger: must be one of: ...`)."""


def text(form: Mapping[str, str], name: str) -> str | None:
    """A text field, None when empty."""
    value = (form.get(name) or "").strip()
    return value or None


def integer(form: Mapping[str, str], name: str) -> int | None:
    """A whole-number field, None when empty."""
    value = text(form, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise FormError(f"body.{name}: must be a whole number") from None


def json_value(form: Mapping[str, str], name: str) -> Any:
    """A field holding JSON, None when empty."""
    value = text(form, name)
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as error:
        raise FormError(f"body.{name}: not JSON ({error})") from None


def body_of(**fields: Any) -> dict[str, Any]:
    """A request body from the fields that were filled in."""
    return {name: value for name, value in fields.items() if value is not None}


def load(schema: Schema, body: Any) -> Any:
    """The body as the API's schema loads it."""
    try:
        return schema.load(body)
    except ValidationError as error:
        raise FormError(describe_messages("body", error.messages)) from None


def through_api(function: Callable[..., T], *args: Any) -> T:
    """Call an API function; its refusal (an HTTP error) becomes the form's error."""
    try:
        return function(*args)
    except HTTPException as error:
        raise FormError(describe(error)) from None
