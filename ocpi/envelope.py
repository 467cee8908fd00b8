"""The OCPI response envelope, its status codes, errors as envelopes, and paged lists."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, request

from protocol.times import utc_instant, utc_now

SUCCESS = 1000
CLIENT_ERROR = 2000
INVALID_PARAMETERS = 2001
NOT_ENOUGH_INFORMATION = 2002
UNKNOWN_LOCATION = 2003
UNKNOWN_TOKEN = 2004
SERVER_ERROR = 3000
CLIENT_API_UNUSABLE = 3001
UNSUPPORTED_VERSION = 3002
NO_MATCHING_ENDPOINTS = 3003
MAX_LIMIT = 100  # objects per page, whatever a partner asks for


class OcpiError(Exception):
    """An answer other than success: the HTTP status, the OCPI status code and what was wrong."""

    def __init__(self, http_status: int, status_code: int, message: str) -> None:
        super().__init__(message)
        self.http_status, self.status_code, self.message = http_status, status_code, message


def envelope(data: Any, status_code: int = SUCCESS, message: str = "Success") -> dict[str, Any]:
    """The OCPI response body."""
    body: dict[str, Any] = {"status_code": status_code, "status_message": message, "timestamp": utc_now()}
    if data is not None:
        body["data"] = data
    return body


def ok(data: Any = None, http_status: int = 200) -> Response:
    """A success answer carrying `data`."""
    response = jsonify(envelope(data))
    response.status_code = http_status
    return response


def error_response(error: OcpiError) -> Response:
    """An error answer (no data)."""
    response = jsonify(envelope(None, error.status_code, error.message))
    response.status_code = error.http_status
    return response


def json_body() -> Any:
    """The request's JSON body; a body that is not JSON is HTTP 400 (the transport layer, as OCPI says)."""
    body = request.get_json(silent=True, force=True)
    if body is None:
        raise OcpiError(400, INVALID_PARAMETERS, "the body is not JSON")
    return body


@dataclass(frozen=True)
class Page:
    """A list request's filters and window."""

    date_from: str | None
    date_to: str | None
    offset: int
    limit: int


def page_arguments(date_from_required: bool = False) -> Page:
    """date_from, date_to (RFC 3339, compared in UTC), offset and limit of a list request; bad ones are 2001."""
    dates = []
    for name in ("date_from", "date_to"):
        raw = request.args.get(name)
        if raw is None and name == "date_from" and date_from_required:
            raise OcpiError(200, INVALID_PARAMETERS, "date_from is required")
        value = None if raw is None else parse_time(raw)
        if raw is not None and value is None:
            raise OcpiError(200, INVALID_PARAMETERS, f"{name} is not an RFC 3339 date-time")
        dates.append(value)
    offset, limit = _integer("offset", 0), _integer("limit", MAX_LIMIT)
    return Page(dates[0], dates[1], offset, min(limit, MAX_LIMIT))


def parse_time(raw: str) -> str | None:
    """An OCPI DateTime in the stored form (UTC, milliseconds, Z); without a zone it is UTC, as OCPI says."""
    return utc_instant(raw) or utc_instant(raw + "Z")


def _integer(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or (name == "limit" and int(raw) == 0) or int(raw) > 2**31 - 1:
        raise OcpiError(200, INVALID_PARAMETERS, f"{name} must be a{' positive' if name == 'limit' else 'n'} integer")
    return int(raw)


def paged(items: list[Any], total: int, page: Page, base_url: str) -> Response:
    """A list answer with X-Total-Count, X-Limit and, unless it is the last page, a Link to the next one."""
    response = ok(items)
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Limit"] = str(page.limit)
    following = page.offset + len(items)
    if following < total and items:
        query = {"offset": following, "limit": page.limit}
        query |= {name: value for name, value in (("date_from", page.date_from), ("date_to", page.date_to)) if value}
        response.headers["Link"] = f'<{base_url}?{urlencode(query)}>; rel="next"'
    return response
