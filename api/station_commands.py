"""Any CSMS-initiated OCPP operation for a station: `POST /cs/{csId}/call` and the typed everyday endpoints."""
from __future__ import annotations

import re
from typing import Any, Callable

import sqlite_utils
from flask.views import MethodView
from flask_smorest import abort
from ocpp.exceptions import OCPPError
from ocpp.messages import MessageType

import storage
from api.errors import Blueprint
from api.stations import require_station
from protocol.reservations import reservation_of
from protocol.secrets import mask_payload, split_secrets
from protocol.typed_calls import OPERATIONS, TypedCallError, build_call
from protocol.validation import validate
from protocol.versions import CSMS_ACTIONS, message_family
from schemas.commands import CommandSchema
from schemas.common import StatusSchema
from schemas.station_commands import TYPED_SCHEMAS, CallSchema, SendLocalListRequestSchema
from storage import commands, local_lists, reservations, stations

# Rows written with a command, in its write job, given the command's id.
AlsoWritten = Callable[[sqlite_utils.Database, int], None]

blp = Blueprint("station_commands", __name__, description="OCPP operations sent to a station through its outbox")


def _known_version(cs_id: str) -> str:
    version = require_station(cs_id)["ocpp_version"]
    if version not in CSMS_ACTIONS:
        abort(409, message=f"the OCPP version of {cs_id!r} is not known yet: it has never connected")
    return version


def queue_operation(
    cs_id: str, operation: str, params: Any, secrets: Any = None, also: AlsoWritten | None = None
) -> dict[str, Any]:
    """Queue a command in the station's outbox (with the rows `also` writes, in one write) and return it as the API
    shows it."""
    store = storage.current()
    command_id: list[int] = []

    def job(db: sqlite_utils.Database) -> None:
        command_id.append(commands.queue_command(db, cs_id, operation, params, secrets=secrets))
        if also is not None:
            also(db, command_id[0])

    if not stations.write_if_station(store, cs_id, job):
        abort(404, message=f"unknown charge station {cs_id!r}")
    return commands.get_command(store, cs_id, command_id[0]) or abort(404, message="the command is gone")


def queue_call(cs_id: str, version: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Queue one OCPP call in the station's outbox and return the command as the API shows it."""
    shown, secrets = split_secrets("call", {"action": action, "payload": payload})
    return queue_operation(cs_id, "call", shown, secrets, _state_of_call(cs_id, version, action, payload))


def _state_of_call(cs_id: str, version: str, action: str, payload: dict[str, Any]) -> AlsoWritten | None:
    """What we keep about the call before it is answered: a ReserveNow's requested reservation."""
    if action != "ReserveNow":
        return None
    try:
        reservation = reservation_of(message_family(version), payload)
    except ValueError as error:
        abort(400, message=f"body.payload: {error}")
    return lambda db, command_id: reservations.add_requested(db, cs_id, reservation, command_id)


def queue_any_call(cs_id: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Queue any CSMS-initiated action of the station's version, its payload checked against the action's schema."""
    version = _known_version(cs_id)
    if action not in CSMS_ACTIONS[version]:
        abort(400, message=f"body.action: {action!r} is not a CSMS-initiated OCPP {version} action")
    if mask_payload(payload) != payload and action != "SetNetworkProfile":
        # Only /reconfigure keeps the stored Basic auth hash in step with what the station accepts.
        abort(400, message="body.payload: change Basic auth passwords with POST /cs/{csId}/reconfigure")
    try:
        validate(MessageType.Call, action, payload, version)
    except OCPPError as error:
        abort(400, message=f"body.payload: {error.description}")
    return queue_call(cs_id, version, action, payload)


def queue_typed(cs_id: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """Queue a typed operation (a body its schema accepted) as the OCPP call of the station's version."""
    version = _known_version(cs_id)
    if operation == "reserveNow" and "reservationId" not in body:
        body = body | {"reservationId": reservations.unused_reservation_id(storage.current(), cs_id)}
    try:
        action, payload = build_call(operation, body, version)
    except TypedCallError as error:
        abort(400, message=str(error))
    return queue_call(cs_id, version, action, payload)


@blp.route("/cs/<cs_id>/call")
class Call(MethodView):
    @blp.arguments(CallSchema)
    @blp.response(202, CommandSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.alt_response(409, schema=StatusSchema, description="The station's OCPP version is not known yet")
    @blp.doc(operationId="callChargeStation", summary="Send any CSMS-initiated OCPP action through the outbox")
    def post(self, body: dict[str, Any], cs_id: str) -> dict[str, Any]:
        return queue_any_call(cs_id, body["action"], body["payload"])


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _documented(post: Callable[..., Any], operation: str, summary: str, schema: type) -> Callable[..., Any]:
    post = blp.doc(operationId=f"{operation}ChargeStation", summary=summary)(post)
    post = blp.alt_response(409, schema=StatusSchema, description="The station's OCPP version is not known yet")(post)
    post = blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")(post)
    post = blp.response(202, CommandSchema)(post)
    return blp.arguments(schema)(post)


def _typed_view(operation: str) -> type[MethodView]:
    def post(self: MethodView, body: dict[str, Any], cs_id: str) -> dict[str, Any]:
        return queue_typed(cs_id, operation, body)

    post = _documented(post, operation, OPERATIONS[operation].description, TYPED_SCHEMAS[operation])
    return type(f"{operation[0].upper()}{operation[1:]}View", (MethodView,), {"post": post})


for _operation in OPERATIONS:
    blp.route(f"/cs/<cs_id>/{_kebab(_operation)}")(_typed_view(_operation))


def _send_local_list(self: MethodView, body: dict[str, Any], cs_id: str) -> dict[str, Any]:
    _known_version(cs_id)
    if body["updateType"] == "Full" and "tokens" in body:  # a Differential's unknown uid is one to remove
        stored = {token["uid"] for token in local_lists.listable_tokens(storage.current(), body["tokens"])}
        unknown = [uid for uid in body["tokens"] if uid not in stored]
        if unknown:
            abort(400, message=f"body.tokens: unknown token {unknown[0]!r}")
    return queue_operation(cs_id, "sendLocalList", body)


@blp.route("/cs/<cs_id>/send-local-list")
class SendLocalList(MethodView):
    post = _documented(
        _send_local_list,
        "sendLocalList",
        "Send a Full or Differential local authorization list, built from the token store when it goes out",
        SendLocalListRequestSchema,
    )
