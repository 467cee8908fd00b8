"""Who is calling: the credentials token (Base64 as 2.2.1 says, or raw as 2.2 parties send it), compared in constant
time; what a PENDING token may reach; the routing and request-id headers answered."""
from __future__ import annotations

import base64
import binascii
import hmac
import uuid
from typing import Any

from flask import Response, g, request

from ocpi.context import current
from ocpi.envelope import CLIENT_ERROR, INVALID_PARAMETERS, OcpiError
from storage import parties

# Modules a PENDING token may use: the handshake's own.
_OPEN_MODULES = ("versions", "details", "credentials")
_ROUTING = ("country-code", "party-id")


def candidates(header: str) -> list[str]:
    """The tokens an Authorization header may carry: its value Base64-decoded (when it decodes to text), and as is."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "token" or not value.strip():
        return []
    value = value.strip()
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return [value]
    return [decoded.strip(), value]


def find_caller(header: str) -> dict[str, Any] | None:
    """The party whose token the header carries (a value that Base64-decodes to a known token is that token),
    comparing every party's token in constant time."""
    tokens = candidates(header)
    known = parties.list_parties(current().store) if tokens else []
    found = None
    for wanted in tokens:
        for party in known:
            if hmac.compare_digest(party["token"].encode(), wanted.encode()) and found is None:
                found = party
    return found


def authenticate(module: str) -> None:
    """Set g.party from the Authorization header; 401 for no or an unknown token, or a PENDING token outside the
    handshake's modules. Routing headers naming another receiver are refused."""
    party = find_caller(request.headers.get("Authorization", ""))
    if party is None:
        raise OcpiError(401, CLIENT_ERROR, "missing or unknown credentials token")
    if party["status"] != "REGISTERED" and module not in _OPEN_MODULES:
        raise OcpiError(401, CLIENT_ERROR, "this token may only be used for versions and credentials until registered")
    g.party = party
    _check_receiver()


def _check_receiver() -> None:
    config = current().config
    ours = {"country-code": config.ocpi_country_code, "party-id": config.ocpi_party_id}
    for name in _ROUTING:
        sent = request.headers.get(f"OCPI-to-{name}")
        if sent is not None and sent.strip().upper() != ours[name].upper():
            raise OcpiError(404, INVALID_PARAMETERS, f"OCPI-to-{name} {sent[:10]!r} is not this CPO's")


def answer_headers(response: Response) -> Response:
    """Echo X-Request-ID and X-Correlation-ID, and answer routing headers that were sent (from and to swapped)."""
    request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
    response.headers["X-Request-ID"] = request_id[:100]
    response.headers["X-Correlation-ID"] = (request.headers.get("X-Correlation-ID") or request_id)[:100]
    config = current().config
    ours = {"country-code": config.ocpi_country_code, "party-id": config.ocpi_party_id}
    for name in _ROUTING:
        sender = request.headers.get(f"OCPI-from-{name}")
        if sender is not None:
            response.headers[f"OCPI-to-{name}"] = sender[:10]
            response.headers[f"OCPI-from-{name}"] = ours[name]
    return response
