"""The one JSON error body `{"status", "error"}` for every 4xx and 5xx, and the Blueprint that answers 400."""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import flask_smorest
from flask import Flask, Response, jsonify, request
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, InternalServerError, UnsupportedMediaType

from schemas.common import StatusSchema
from storage.database import StorageFull

log = logging.getLogger(__name__)

_LOCATION_NAMES = {"json": "body", "query": "query", "view_args": "path", "headers": "header"}


class Parser(FlaskParser):
    """webargs parser answering 400 (not 422) for input that does not validate."""

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: Any) -> Any:
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:  # JSON nested deeper than Python's parser goes: bad input, not a 500
            return self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest Blueprint using our Parser."""

    ARGUMENTS_PARSER = Parser()


def _flatten(prefix: str, messages: Any) -> list[str]:
    if isinstance(messages, dict):
        lines: list[str] = []
        for key, value in messages.items():
            # marshmallow files errors about the whole object under "_schema"
            name = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
            lines.extend(_flatten(name, value))
        return lines
    if isinstance(messages, (list, tuple)):
        if all(isinstance(item, str) for item in messages):
            text = "; ".join(_lowercase_first(item) for item in messages)
            return [f"{prefix}: {text}" if prefix else text]
        lines = []
        for item in messages:
            lines.extend(_flatten(prefix, item))
        return lines
    return [f"{prefix}: {_lowercase_first(str(messages))}" if prefix else str(messages)]


def describe_messages(location: str, messages: Any) -> str:
    """One line for marshmallow's messages about the input at `location` ("body", "query"...), as `describe` says it."""
    return "; ".join(_flatten(location, messages))


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def describe(error: HTTPException) -> str:
    """One line saying what was wrong, e.g. `body.trigger: must be one of: BootNotification, ...`."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        parts: list[str] = []
        for location, detail in messages.items():
            parts.extend(_flatten(_LOCATION_NAMES.get(location, location), detail))
        return "; ".join(parts)
    if data.get("message"):
        return str(data["message"])
    return error.description or HTTPStatus(error.code or 500).phrase


def error_response(code: int, detail: str) -> Response:
    """The JSON error body with its status code."""
    response = jsonify({"status": HTTPStatus(code).phrase, "error": detail})
    response.status_code = code
    return response


class Api(flask_smorest.Api):
    """flask-smorest Api whose every error, its own included, has our JSON body."""

    ERROR_SCHEMA = StatusSchema

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        response = error_response(error.code or 500, describe(error))
        for name, value in ((getattr(error, "data", None) or {}).get("headers") or {}).items():
            response.headers[name] = value
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response


def _handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return error_response(error.code or 500, describe(error))
    if isinstance(error, StorageFull):
        log.error("%s %s: not stored: %s", request.method, request.path, error)
        return error_response(507, "the database is full: nothing was stored")
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, InternalServerError.description or "internal error")


def require_json_body() -> None:
    """Refuse a body that is not JSON with 415 before any view parses it."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return
    if not request.is_json:
        raise UnsupportedMediaType(f"expected a JSON body (application/json), got {request.mimetype or 'none'!r}")


def init_errors(app: Flask) -> None:
    """Answer errors outside flask-smorest's reach (500s) with the same body."""
    app.register_error_handler(Exception, _handle_unexpected)
