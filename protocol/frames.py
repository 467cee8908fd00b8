"""OCPP-J frames: parse what a station sent (errors remapped per version) and spell what we send."""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from ocpp.exceptions import OCPPError
from ocpp.messages import MessageType

from protocol.errors import error_code, trimmed

CALL, CALLRESULT, CALLERROR = MessageType.Call, MessageType.CallResult, MessageType.CallError
_LENGTHS = {CALL: 4, CALLRESULT: 3, CALLERROR: 5}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_MESSAGE_ID = 36  # both versions: "maximum of 36 characters, to allow for GUIDs"
_ECHOED_ID = 255  # a longer id is not sent back: "-1" stands for it


class Frame(NamedTuple):
    """A well-formed frame: a CALL (action, payload), a CALLRESULT (payload) or a CALLERROR (code, ...).

    A named tuple: one is built for every message, at a third of a frozen dataclass's cost.
    """

    message_type_id: int
    message_id: str
    action: str | None = None
    payload: Any = None
    error_code: str | None = None
    error_description: str | None = None
    error_details: Any = None


@dataclass(frozen=True)
class BadFrame:
    """An unusable frame: `reply` is the CALLERROR to send back, or None when the version says drop it."""

    problem: str
    reply: str | None


def _refuse_constant(name: str) -> None:
    # NaN and Infinity are not JSON: they would flow into stored numbers and into answers no station can parse.
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400
        raise ValueError(f"{text[:20]} is out of range")
    return number


def _int64(text: str) -> int | float:
    # An integer no column can hold (SQLite's are 64-bit, OCPP's 32-bit) is read as a number that is not an integer:
    # the schema check then refuses it with a TypeConstraintViolation instead of a crash where it is stored.
    number = int(text)
    if INT64_MIN <= number <= INT64_MAX:
        return number
    magnitude = sys.float_info.max if len(text) > 300 else float(abs(number))
    return -magnitude if number < 0 else magnitude


def loads(text: str) -> Any:
    """JSON text to Python: orjson, and the standard library for what orjson refuses (lone surrogates, NaN, integers
    beyond 64 bits...), so that both agree on what is JSON; raises ValueError or RecursionError."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_int64)


def parse(raw: str | bytes, ocpp_version: str) -> Frame | BadFrame:
    """Parse one WebSocket message; never raises."""
    try:
        if isinstance(raw, bytes):
            raise ValueError("binary frame")
        message = loads(raw)
    except (ValueError, RecursionError):
        message = None
    if not isinstance(message, list) or len(message) < 2 or not isinstance(message[1], str):
        return _without_id("no message id readable", ocpp_version)
    message_type_id, message_id = message[0], message[1]
    if ocpp_version == "2.1" and message_type_id in (5, 6):  # 2.1's CALLRESULTERROR / SEND: tolerated, ignored
        return BadFrame(f"OCPP 2.1 message type {message_type_id} ignored", None)
    if type(message_type_id) is not int or message_type_id not in _LENGTHS:
        if ocpp_version == "1.6":
            return BadFrame(f"unknown message type {trimmed(repr(message_type_id), 20)}", None)
        return BadFrame("unknown message type", error("MessageTypeNotSupported", message_id, "unknown message type id"))
    problem = _shape_problem(message_type_id, message)
    if problem:
        return BadFrame(problem, error(_framing_code(ocpp_version), message_id, problem))
    if len(message_id) > MAX_MESSAGE_ID:
        problem = f"message id longer than {MAX_MESSAGE_ID} characters"
        if message_type_id != CALL:  # an answer to no call of ours: nothing to answer
            return BadFrame(problem, None)
        echoed = message_id if len(message_id) <= _ECHOED_ID else "-1"
        return BadFrame(problem, error(_framing_code(ocpp_version), echoed, problem))
    if message_type_id == CALL:
        return Frame(CALL, message_id, action=message[2], payload=message[3])
    if message_type_id == CALLRESULT:
        return Frame(CALLRESULT, message_id, payload=message[2])
    return Frame(CALLERROR, message_id, error_code=message[2], error_description=message[3], error_details=message[4])


def _framing_code(ocpp_version: str) -> str:
    return "FormationViolation" if ocpp_version == "1.6" else "RpcFrameworkError"


def _without_id(problem: str, ocpp_version: str) -> BadFrame:
    if ocpp_version == "1.6":
        return BadFrame(problem, None)
    return BadFrame(problem, error("RpcFrameworkError", "-1", problem))


def _shape_problem(message_type_id: int, message: list) -> str | None:
    if len(message) != _LENGTHS[message_type_id]:
        return f"message type {message_type_id} needs {_LENGTHS[message_type_id]} elements, got {len(message)}"
    if message_type_id == CALL and not (isinstance(message[2], str) and isinstance(message[3], dict)):
        return "a CALL needs an action string and a payload object"
    if message_type_id == CALLRESULT and not isinstance(message[2], dict):
        return "a CALLRESULT needs a payload object"
    if message_type_id == CALLERROR and not (isinstance(message[2], str) and isinstance(message[3], str)):
        return "a CALLERROR needs a code and a description string"
    return None


def dumps(message: list) -> str:
    try:
        return orjson.dumps(message).decode()
    except TypeError:  # a Decimal, an int beyond 64 bits: the standard library spells those
        return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def call(message_id: str, action: str, payload: dict) -> str:
    return dumps([CALL, message_id, action, payload])


def result(message_id: str, payload: dict) -> str:
    return dumps([CALLRESULT, message_id, payload])


def error(code: str, message_id: str, description: str, details: Any = None) -> str:
    """A CALLERROR; details is always an object ({} when empty), a long cause trimmed."""
    details = dict(details) if isinstance(details, dict) else {}
    if isinstance(details.get("cause"), str):
        details["cause"] = trimmed(details["cause"])
    return dumps([CALLERROR, message_id, code, trimmed(description or ""), details])


def error_from(exc: OCPPError, message_id: str, ocpp_version: str) -> str:
    """The CALLERROR for an `ocpp` exception, its code spelled as the version spells it."""
    return error(error_code(exc, ocpp_version), message_id, exc.description, exc.details)
