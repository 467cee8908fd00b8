"""Tokens receiver: partners PUT, PATCH and GET their tokens in the token store that OCPP Authorize uses (`valid`
as is, `whitelist` as the cache mode, contract ids stored as sent)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request
from marshmallow import ValidationError

from ocpi.context import current
from ocpi.envelope import INVALID_PARAMETERS, UNKNOWN_TOKEN, OcpiError, json_body, ok
from schemas.ocpi_common import describe
from schemas.ocpi_tokens import TOKEN_TYPES, TokenSchema
from storage import Store, parties, tokens

blp = Blueprint("tokens", __name__, url_prefix="/tokens")

# OCPI Token field → token store column.
COLUMNS = {
    "country_code": "country_code", "party_id": "party_id", "uid": "uid", "type": "type",
    "contract_id": "contract_id", "visual_number": "visual_number", "issuer": "issuer", "group_id": "group_id",
    "valid": "valid", "language": "language_code", "whitelist": "cache_mode",
}  # fmt: skip


def token_object(row: dict[str, Any]) -> dict[str, Any]:
    """The OCPI Token of a stored token."""
    token = {name: row.get(column) for name, column in COLUMNS.items() if row.get(column) is not None}
    return token | {"valid": bool(row["valid"]), "last_updated": row["last_updated"]}


def save(store: Store, token: dict[str, Any]) -> None:
    """Store an OCPI Token (checked) in the token store."""
    tokens.save_token(store, {column: token.get(name) for name, column in COLUMNS.items()})


def _check_owner(country_code: str, party_id: str) -> None:
    """Partners only touch tokens under their own roles (a party known only by /register has none yet)."""
    party = g.party
    if party["credentials"] and not parties.has_role(party, country_code, party_id):
        raise OcpiError(404, INVALID_PARAMETERS, f"{country_code}/{party_id} is not one of your roles")


def _stored(country_code: str, party_id: str, uid: str) -> dict[str, Any] | None:
    """The stored token with this uid, None when there is none; another party's token is refused."""
    row = tokens.get_token(current().store, uid)
    if row is None:
        return None
    if (row["country_code"] or "").upper() != country_code.upper() or (row["party_id"] or "").upper() != party_id.upper():
        raise OcpiError(404, UNKNOWN_TOKEN, f"token {uid[:36]!r} belongs to another party")
    return row


def _type_argument() -> str:
    token_type = request.args.get("type", "RFID")
    if token_type not in TOKEN_TYPES:
        raise OcpiError(200, INVALID_PARAMETERS, f"type must be one of {', '.join(TOKEN_TYPES)}")
    return token_type


def _load(body: Any) -> dict[str, Any]:
    try:
        return TokenSchema().load(body)
    except ValidationError as error:
        raise OcpiError(200, INVALID_PARAMETERS, describe(error)) from error


@blp.get("/<country_code>/<party_id>/<uid>")
def get_token(country_code: str, party_id: str, uid: str) -> Response:
    _check_owner(country_code, party_id)
    token_type = _type_argument()
    row = _stored(country_code, party_id, uid)
    if row is None or row["type"] != token_type:
        raise OcpiError(404, UNKNOWN_TOKEN, f"unknown token {uid[:36]!r}")
    return ok(token_object(row))


@blp.put("/<country_code>/<party_id>/<uid>")
def put_token(country_code: str, party_id: str, uid: str) -> Response:
    _check_owner(country_code, party_id)
    _type_argument()
    token = _load(json_body())
    if (token["country_code"].upper(), token["party_id"].upper(), token["uid"]) != (country_code.upper(), party_id.upper(), uid):
        raise OcpiError(200, INVALID_PARAMETERS, "country_code, party_id and uid must be the URL's")
    existed = _stored(country_code, party_id, uid) is not None
    save(current().store, token)
    return ok(None, 200 if existed else 201)


@blp.patch("/<country_code>/<party_id>/<uid>")
def patch_token(country_code: str, party_id: str, uid: str) -> Response:
    _check_owner(country_code, party_id)
    _type_argument()
    changes = json_body()
    if not isinstance(changes, dict) or "last_updated" not in changes:
        raise OcpiError(200, INVALID_PARAMETERS, "a PATCH must carry last_updated")
    row = _stored(country_code, party_id, uid)
    if row is None:
        raise OcpiError(404, UNKNOWN_TOKEN, f"unknown token {uid[:36]!r}")
    token = _load(token_object(row) | changes)
    if (token["country_code"], token["party_id"], token["uid"]) != (row["country_code"], row["party_id"], uid):
        raise OcpiError(200, INVALID_PARAMETERS, "country_code, party_id and uid cannot change")
    save(current().store, token)
    return ok()
