"""Any CSMS-initiated OCPP operation for a station: `POST /cs/{csId}/call` and the typed everyday endpoints."""
from __future__ import annotations

import functools
import re
from typing import Any

import sqlite_utils
from flask.views import MethodView
from flask_smorest import abort
from ocpp.exceptions import OCPPError
from ocpp.messages import MessageType

import storage
from api.errors import Blueprint
from api.stations import require_station
from protocol.secrets import mask_payload, split_secrets
from protocol.typed_calls import OPERATIONS, TypedCallError, build_call
from protocol.validation import validate
from protocol.versions import CSMS_ACTIONS
from schemas.commands import CommandSchema
from schemas.common import StatusSchema
from schemas.station_commands import TYPED_SCHEMAS, CallSchema
from storage import commands, stations, tokens

blp = Blueprint("station_commands", __name__, description="OCPP operations sent to a station through its outbox")


def _known_version(cs_id: str) -> str:
    version = require_station(cs_id)["ocpp_version"]
    if version not in CSMS_ACTIONS:
        abort(409, message=f"the OCPP version of {cs_id!r} is not known yet: it has never connected")
    return version


def queue_call(cs_id: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Queue one OCPP call in the station's outbox and return the command as the API shows it."""
    store = storage.current()
    command_id: list[int] = []

    shown, secrets = split_secrets("call", {"action": action, "payload": payload})

    def job(db: sqlite_utils.Database) -> None:
        command_id.append(commands.queue_command(db, cs_id, "call", shown, secrets=secrets))

    if not stations.write_if_station(store, cs_id, job):
        abort(404, message=f"unknown charge station {cs_id!r}")
    return commands.get_command(store, cs_id, command_id[0]) or abort(404, message="the command is gone")


@blp.route("/cs/<cs_id>/call")
class Call(MethodView):
    @blp.arguments(CallSchema)
    @blp.response(202, CommandSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.alt_response(409, schema=StatusSchema, description="The station's OCPP version is not known yet")
    @blp.doc(operationId="callChargeStation", summary="Send any CSMS-initiated OCPP action through the outbox")
    def post(self, body: dict[str, Any], cs_id: str) -> dict[str, Any]:
        version = _known_version(cs_id)
        action, payload = body["action"], body["payload"]
        if action not in CSMS_ACTIONS[version]:
            abort(400, message=f"body.action: {action!r} is not a CSMS-initiated OCPP {version} action")
        if mask_payload(payload) != payload and action != "SetNetworkProfile":
            # Only /reconfigure keeps the stored Basic auth hash in step with what the station accepts.
            abort(400, message="body.payload: change Basic auth passwords with POST /cs/{csId}/reconfigure")
        try:
            validate(MessageType.Call, action, payload, version)
        except OCPPError as error:
            abort(400, message=f"body.payload: {error.description}")
        return queue_call(cs_id, action, payload)


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _typed_view(operation: str) -> type[MethodView]:
    def post(self: MethodView, body: dict[str, Any], cs_id: str) -> dict[str, Any]:
        version = _known_version(cs_id)
        try:
            action, payload = build_call(operation, body, version, functools.partial(tokens.get_token, storage.current()))
        except TypedCallError as error:
            abort(400, message=str(error))
        return queue_call(cs_id, action, payload)

    post = blp.doc(operationId=f"{operation}ChargeStation", summary=OPERATIONS[operation].description)(post)
    post = blp.alt_response(409, schema=StatusSchema, description="The station's OCPP version is not known yet")(post)
    post = blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")(post)
    post = blp.response(202, CommandSchema)(post)
    post = blp.arguments(TYPED_SCHEMAS[operation])(post)
    return type(f"{operation[0].upper()}{operation[1:]}View", (MethodView,), {"post": post})


for _operation in OPERATIONS:
    blp.route(f"/cs/<cs_id>/{_kebab(_operation)}")(_typed_view(_operation))
