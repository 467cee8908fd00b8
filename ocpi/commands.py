"""Commands receiver: START_SESSION, STOP_SESSION, UNLOCK_CONNECTOR, RESERVE_NOW and CANCEL_RESERVATION become OCPP
calls of the station's version through the outbox; the CommandResponse at once, the CommandResult once the station
answered (or did not in time), POSTed to the partner's response_url by the watcher."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import sqlite_utils
from flask import Blueprint, Response, g
from marshmallow import ValidationError

from ocpi.context import current
from ocpi.envelope import INVALID_PARAMETERS, UNKNOWN_LOCATION, OcpiError, json_body, ok
from ocpi.tokens import save as save_token
from protocol.reservations import is_int32, reservation_of
from protocol.typed_calls import TypedCallError, build_call
from protocol.versions import message_family
from schemas.ocpi_commands import COMMAND_SCHEMAS
from schemas.ocpi_common import describe
from storage import commands, locations, ocpi_commands, ocpi_pushes, ocpi_sessions, reservations, stations

blp = Blueprint("commands", __name__, url_prefix="/commands")

# The station's answer status per action → CommandResultType; any other answer is FAILED.
RESULTS: dict[str, dict[str, str]] = {
    "RemoteStartTransaction": {"Accepted": "ACCEPTED", "Rejected": "REJECTED"},
    "RemoteStopTransaction": {"Accepted": "ACCEPTED", "Rejected": "REJECTED"},
    "UnlockConnector": {
        "Unlocked": "ACCEPTED", "UnlockFailed": "FAILED", "NotSupported": "NOT_SUPPORTED",
        "OngoingAuthorizedTransaction": "REJECTED", "UnknownConnector": "REJECTED",
    },
    "ReserveNow": {
        "Accepted": "ACCEPTED", "Faulted": "EVSE_INOPERATIVE", "Occupied": "EVSE_OCCUPIED", "Rejected": "REJECTED",
        "Unavailable": "EVSE_INOPERATIVE",
    },
    "CancelReservation": {"Accepted": "CANCELED_RESERVATION", "Rejected": "UNKNOWN_RESERVATION"},
}  # fmt: skip
RESULTS["RequestStartTransaction"] = RESULTS["RemoteStartTransaction"]
RESULTS["RequestStopTransaction"] = RESULTS["RemoteStopTransaction"]
_NOT_SUPPORTED_ERRORS = ("NotImplemented", "NotSupported")


def command_response(result: str, message: str | None = None) -> dict[str, Any]:
    """A CommandResponse with our timeout."""
    response: dict[str, Any] = {"result": result, "timeout": current().config.ocpi_command_timeout}
    if message:
        response["message"] = [{"language": "en", "text": message}]
    return response


def command_result(row: dict[str, Any], now: str) -> str | None:
    """The CommandResultType of an open command (`ocpi_commands.open_commands`), or None while it waits."""
    status = row["command_status"]
    if status == "completed":
        answer = json.loads(row["response"] or "{}")
        return RESULTS.get(row["action"], {}).get(answer.get("status") if isinstance(answer, dict) else None, "FAILED")
    if status == "failed":
        code = ((json.loads(row["response"] or "{}") or {}).get("error") or {}).get("code")
        return "TIMEOUT" if code in ("timeout", "closed") else "NOT_SUPPORTED" if code in _NOT_SUPPORTED_ERRORS else "FAILED"
    if status == "expired" or row["deadline"] <= now:
        return "TIMEOUT"
    return None


# -- finding the station -----------------------------------------------------------------------------------------
def _target(location_id: str, evse_uid: str | None, connector_id: str | None) -> tuple[str | None, int | None]:
    """(station id, OCPP connector / EVSE number) of a location's EVSE (the first connected one when none is named)."""
    found = current().store.read(lambda db: locations.find_location(db, location_id))
    if found is None:
        raise OcpiError(200, UNKNOWN_LOCATION, f"unknown location {location_id[:36]!r}")
    rows = found["evses"]
    if evse_uid is not None:
        rows = [row for row in rows if row["uid"] == evse_uid]
        if not rows:
            raise OcpiError(200, UNKNOWN_LOCATION, f"location {location_id!r} has no EVSE {evse_uid[:36]!r}")
    row = next((row for row in rows if row["status"] != "UNKNOWN"), rows[0] if rows else None)
    if row is None or row["cs_id"] is None:
        return None, None
    if connector_id is None:
        return row["cs_id"], None
    if not connector_id.isdigit() or int(connector_id) not in row["connector_ids"]:
        raise OcpiError(200, INVALID_PARAMETERS, f"EVSE {row['uid']!r} has no connector {connector_id[:36]!r}")
    return row["cs_id"], int(connector_id)


def _ready_version(cs_id: str | None) -> str | None:
    """The OCPP version of a station that can take a command now (connected, its boot accepted), else None."""
    station = stations.get_station(current().store, cs_id) if cs_id else None
    if station is None or not station["connected"] or station.get("boot_status") != "Accepted":
        return None
    return station["ocpp_version"]


# -- queueing --------------------------------------------------------------------------------------------------------
def _queue(command: str, body: dict[str, Any], cs_id: str, version: str, operation: str, arguments: dict[str, Any],
           extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Queue the OCPP call for the station with the bookkeeping row, in one commit; the CommandResponse."""
    try:
        action, payload = build_call(operation, arguments, version)
    except TypedCallError as error:
        return command_response("NOT_SUPPORTED", str(error))
    deadline = datetime.now(timezone.utc) + timedelta(seconds=current().config.ocpi_command_timeout)
    row = {
        "party_id": g.party["id"], "command": command, "cs_id": cs_id, "response_url": body["response_url"],
        "deadline": deadline.isoformat(timespec="milliseconds").replace("+00:00", "Z"), **(extra or {}),
    }  # fmt: skip

    def job(db: sqlite_utils.Database) -> None:
        command_id = commands.queue_command(db, cs_id, "call", {"action": action, "payload": payload}, origin="ocpi")
        if action == "ReserveNow":
            reservations.add_requested(db, cs_id, reservation_of(message_family(version), payload), command_id)
        ocpi_commands.add_command(db, {**row, "command_id": command_id})

    current().store.write(job)
    return command_response("ACCEPTED")


def answer_at_once(command: str, body: dict[str, Any], result: str) -> dict[str, Any]:
    """A command we can answer without a station (an unknown reservation): ACCEPTED now, its result queued."""
    party_id = g.party["id"]

    def job(db: sqlite_utils.Database) -> None:
        row = {"party_id": party_id, "command": command, "response_url": body["response_url"], "deadline": ""}
        ocpi_commands.set_result(db, ocpi_commands.add_command(db, row), result)
        ocpi_pushes.queue_push(db, party_id, "url", "POST", body["response_url"], {"result": result})

    current().store.write(job)
    return command_response("ACCEPTED")


def _offline() -> dict[str, Any]:
    return command_response("REJECTED", "the charging station is offline")


def start_session(body: dict[str, Any]) -> dict[str, Any]:
    cs_id, number = _target(body["location_id"], body.get("evse_uid"), body.get("connector_id"))
    version = _ready_version(cs_id)
    if cs_id is None or version is None:
        return _offline()
    token = body["token"]
    save_token(current().store, token)  # the partner vouches for it: the station's Authorize and start find it
    arguments = {"idToken": token["uid"], "idTokenType": "Central", **({} if number is None else {"evseId": number})}
    return _queue("START_SESSION", body, cs_id, version, "remoteStart", arguments, {"token_uid": token["uid"]})


def stop_session(body: dict[str, Any]) -> dict[str, Any]:
    session = ocpi_sessions.get_session(current().store, int(body["session_id"])) if body["session_id"].isdigit() else None
    if session is None or session["party_id"] != g.party["id"]:
        return command_response("UNKNOWN_SESSION", f"unknown session {body['session_id'][:36]!r}")
    if session["status"] != "ACTIVE":
        return command_response("REJECTED", "the session has ended")
    version = _ready_version(session["cs_id"])
    if version is None:
        return _offline()
    arguments = {"transactionId": session["transaction_id"]}
    return _queue("STOP_SESSION", body, session["cs_id"], version, "remoteStop", arguments)


def unlock_connector(body: dict[str, Any]) -> dict[str, Any]:
    cs_id, number = _target(body["location_id"], body["evse_uid"], body["connector_id"])
    version = _ready_version(cs_id)
    if cs_id is None or version is None:
        return _offline()
    return _queue("UNLOCK_CONNECTOR", body, cs_id, version, "unlockConnector", {"evseId": number})


def reserve_now(body: dict[str, Any]) -> dict[str, Any]:
    cs_id, _ = _target(body["location_id"], body.get("evse_uid"), None)
    version = _ready_version(cs_id)
    if cs_id is None or version is None:
        return _offline()
    token, reference = body["token"], body["reservation_id"]
    save_token(current().store, token)
    number = int(reference) if reference.isdigit() and is_int32(int(reference)) else None
    reservation_id = number or reservations.unused_reservation_id(current().store, cs_id)
    arguments = {"expiryDateTime": body["expiry_date"], "idToken": token["uid"], "reservationId": reservation_id}
    if body.get("evse_uid") is not None:
        arguments["evseId"] = _reservable_evse(body)
    extra = {"reservation_ref": reference, "reservation_id": reservation_id, "token_uid": token["uid"]}
    return _queue("RESERVE_NOW", body, cs_id, version, "reserveNow", arguments, extra)


def _reservable_evse(body: dict[str, Any]) -> int:
    """The station connector / EVSE number a reservation of one OCPI EVSE goes to: its first connector."""
    found = current().store.read(lambda db: locations.find_location(db, body["location_id"]))
    row = next(row for row in found["evses"] if row["uid"] == body["evse_uid"])
    return row["connector_ids"][0] if row["connector_ids"] else 0


def cancel_reservation(body: dict[str, Any]) -> dict[str, Any]:
    reserved = ocpi_commands.find_reservation(current().store, g.party["id"], body["reservation_id"])
    if reserved is None:
        return answer_at_once("CANCEL_RESERVATION", body, "UNKNOWN_RESERVATION")
    version = _ready_version(reserved["cs_id"])
    if version is None:
        return _offline()
    arguments = {"reservationId": reserved["reservation_id"]}
    return _queue("CANCEL_RESERVATION", body, reserved["cs_id"], version, "cancelReservation", arguments)


HANDLERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "START_SESSION": start_session,
    "STOP_SESSION": stop_session,
    "UNLOCK_CONNECTOR": unlock_connector,
    "RESERVE_NOW": reserve_now,
    "CANCEL_RESERVATION": cancel_reservation,
}


@blp.post("/<command>")
def post_command(command: str) -> Response:
    schema = COMMAND_SCHEMAS.get(command)
    if schema is None:
        raise OcpiError(404, INVALID_PARAMETERS, f"unknown command {command[:40]!r} (one of {', '.join(HANDLERS)})")
    try:
        body = schema().load(json_body())
    except ValidationError as error:
        raise OcpiError(200, INVALID_PARAMETERS, describe(error)) from error
    return ok(HANDLERS[command](body))
