"""Credentials both ways: partners POST (register), PUT (update) and DELETE (unregister) theirs on our endpoint, and
we run the handshake ourselves for a party registered with its versions URL. Each ends with the party's versions,
endpoints, roles and tokens stored, and our locations queued for it."""
from __future__ import annotations

import logging
import secrets
from typing import Any

import sqlite_utils
from flask import Blueprint, Response, g
from marshmallow import ValidationError

from ocpi import client
from ocpi.context import VERSIONS, OcpiContext, current, request_version
from ocpi.envelope import (
    CLIENT_API_UNUSABLE, CLIENT_ERROR, INVALID_PARAMETERS, NO_MATCHING_ENDPOINTS, UNSUPPORTED_VERSION, OcpiError,
    json_body, ok,
)  # fmt: skip
from ocpi.locations import queue_all_locations
from ocpi.partners import endpoint_url
from schemas.ocpi_common import describe
from schemas.ocpi_credentials import CredentialsSchema
from storage import parties

log = logging.getLogger(__name__)

blp = Blueprint("credentials", __name__, url_prefix="/credentials")


class HandshakeError(Exception):
    """The other party could not be used; `status_code` is what our answer says (3001, 3002, 3003)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


def new_token() -> str:
    """A fresh credentials token: 64 printable characters, unguessable."""
    return secrets.token_urlsafe(48)


def _load_credentials(data: Any) -> dict[str, Any]:
    try:
        return CredentialsSchema().load(data)
    except ValidationError as error:
        raise HandshakeError(INVALID_PARAMETERS, f"credentials: {describe(error)}") from error


def fetch_endpoints(context: OcpiContext, versions_url: str, token: str, wanted: str | None) -> tuple[str, list[dict]]:
    """(version, its endpoints) of a party: `wanted` if given (3002 when it lacks it), else the newest we share."""
    timeout = context.config.ocpi_timeout
    listed = client.call("GET", versions_url, token, wanted, timeout=timeout)
    if not listed.ok or not isinstance(listed.data, list):
        raise HandshakeError(CLIENT_API_UNUSABLE, f"their versions: {listed.error or 'not a list'}")
    theirs = {item.get("version"): item.get("url") for item in listed.data if isinstance(item, dict)}
    version = wanted if wanted in theirs else None if wanted else next((v for v in VERSIONS if v in theirs), None)
    if version is None:
        raise HandshakeError(UNSUPPORTED_VERSION, f"no OCPI version in common: they offer {sorted(map(str, theirs))}")
    details = client.call("GET", str(theirs[version]), token, version, timeout=timeout)
    endpoints = details.data.get("endpoints") if details.ok and isinstance(details.data, dict) else None
    if not isinstance(endpoints, list) or not all(isinstance(item, dict) and item.get("url") for item in endpoints):
        raise HandshakeError(CLIENT_API_UNUSABLE, f"their version {version} details: {details.error or 'no endpoints'}")
    return version, endpoints


def _connected(db: sqlite_utils.Database, context: OcpiContext, party_id: int, changes: dict[str, Any]) -> None:
    """Store what the handshake learnt and queue our locations for the party (one write job)."""
    roles = changes["credentials"]
    first = next((role for role in roles if role["role"] in ("EMSP", "OTHER")), roles[0])
    identity = {"role": first["role"], "country_code": first["country_code"], "party_id": first["party_id"]}
    parties.update_party(db, party_id, {**changes, **identity, "status": "REGISTERED", "last_error": None})
    queue_all_locations(db, context.config, parties.find_party(db, party_id))


# -- they call us ----------------------------------------------------------------------------------------------------
def _register(update: bool) -> Response:
    party, context = g.party, current()
    if bool(party["endpoints"]) != update:
        raise OcpiError(405, CLIENT_ERROR, "already registered: use PUT" if not update else "not registered: use POST")
    try:
        theirs = _load_credentials(json_body())
        version, endpoints = fetch_endpoints(context, theirs["url"], theirs["token"], request_version())
    except HandshakeError as error:  # the request reached the OCPI layer: HTTP 200, the status code says why
        raise OcpiError(200, error.status_code, str(error)) from error
    token = new_token()
    changes = {"token": token, "their_token": theirs["token"], "url": theirs["url"], "version": version,
               "endpoints": endpoints, "credentials": theirs["roles"]}  # fmt: skip
    context.store.write(lambda db: _connected(db, context, party["id"], changes))
    log.info("OCPI party %s %s with version %s", party["id"], "updated" if update else "registered", version)
    return ok(context.credentials(token))


@blp.get("")
def get_credentials() -> Response:
    return ok(current().credentials(g.party["token"]))


@blp.post("")
def post_credentials() -> Response:
    return _register(update=False)


@blp.put("")
def put_credentials() -> Response:
    return _register(update=True)


@blp.delete("")
def delete_credentials() -> Response:
    party = g.party
    if not party["endpoints"]:
        raise OcpiError(405, CLIENT_ERROR, "not registered")
    parties.delete_party(current().store, party["id"])
    log.info("OCPI party %s unregistered", party["id"])
    return ok()


# -- we call them (a party registered with its versions URL) -----------------------------------------------------------
def run_handshake(context: OcpiContext, party: dict[str, Any]) -> None:
    """GET their versions and details with token A, POST our credentials (a new token B) and keep the token C they
    answer. Raises HandshakeError; the caller retries."""
    token_a = party["their_token"] or party["token"]
    version, endpoints = fetch_endpoints(context, party["url"], token_a, None)
    credentials_url = endpoint_url({"endpoints": endpoints}, "credentials", "SENDER") or endpoint_url(
        {"endpoints": endpoints}, "credentials", "RECEIVER"
    )
    if credentials_url is None:
        raise HandshakeError(NO_MATCHING_ENDPOINTS, "they list no credentials endpoint")
    token_b = new_token()
    parties.set_token(context.store, party["id"], token_b)  # they may call us with it before answering
    answer = client.call("POST", credentials_url, token_a, version, context.credentials(token_b), timeout=context.config.ocpi_timeout)
    if not answer.ok:
        raise HandshakeError(CLIENT_API_UNUSABLE, f"POST credentials: {answer.error}")
    theirs = _load_credentials(answer.data)
    changes = {"their_token": theirs["token"], "url": theirs["url"], "version": version, "endpoints": endpoints,
               "credentials": theirs["roles"]}  # fmt: skip
    context.store.write(lambda db: _connected(db, context, party["id"], changes))
    log.info("OCPI party %s connected with version %s", party["id"], version)
