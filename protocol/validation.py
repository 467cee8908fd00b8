"""Payloads checked against the `ocpp` package's JSON schemas, each violation mapped to the CALLERROR the spec names."""
from __future__ import annotations

import decimal
import functools
import json
import os
from typing import Any, Callable

import jsonschema_rs
import ocpp
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError as SchemaError
from ocpp.exceptions import (
    FormatViolationError,
    NotImplementedError as OcppNotImplemented,
    OccurrenceConstraintViolationError,
    OCPPError,
    PropertyConstraintViolationError,
    ProtocolError,
    TypeConstraintViolationError,
)
from ocpp.messages import MessageType, get_validator

from protocol.errors import trimmed

# The 1.6 schemas give these fields one decimal place (multipleOf 0.1): binary floats would fail them.
_DECIMAL_ACTIONS_16 = {
    (MessageType.Call, "SetChargingProfile"),
    (MessageType.Call, "RemoteStartTransaction"),
    (MessageType.CallResult, "GetCompositeSchedule"),
}

# Schema keyword of the first violation → the error the spec defines for it (OCPP-J 1.6 §4.2.3, 2.0.1 Part 4
# §4.3). The `ocpp` package maps only required/type/maxLength and calls everything else a format error.
_TYPE_KEYWORDS = ("type", "maxLength", "minLength")  # CiString20Type, integer...: the field's data type
_VALUE_KEYWORDS = ("enum", "pattern", "minimum", "maximum", "multipleOf", "format")  # a wrong value of a right type
_OCCURRENCE_KEYWORDS = ("minItems", "maxItems")  # how many times something occurs


def schema_validator(message_type_id: int, action: str, ocpp_version: str) -> Draft4Validator | None:
    """The `ocpp` package's cached validator for a message, or None when the version has no such message.

    Only call it with actions of `known_actions`: the package caches a validator per name it was asked for.
    """
    parse_float = decimal.Decimal if (message_type_id, action) in _DECIMAL_ACTIONS_16 and ocpp_version == "1.6" else float
    try:
        return get_validator(message_type_id, action, ocpp_version, parse_float=parse_float)
    except (OSError, ValueError, json.JSONDecodeError):
        return None


@functools.lru_cache(maxsize=None)
def known_actions(ocpp_version: str) -> frozenset[str]:
    """Every action the version defines, in either direction (its schema files' names)."""
    folder = os.path.join(os.path.dirname(ocpp.__file__), "v" + ocpp_version.replace(".", ""), "schemas")
    try:
        names = os.listdir(folder)
    except OSError:
        return frozenset()
    stems = (name.removesuffix(".json") for name in names if name.endswith(".json"))
    return frozenset(stem.removesuffix("Request") for stem in stems if not stem.endswith("Response"))


@functools.lru_cache(maxsize=None)
def _fast_validator(message_type_id: int, action: str, ocpp_version: str) -> Callable[[Any], bool] | None:
    """The schema compiled by jsonschema-rs: whether a payload is valid, ~10x faster than the package's validator."""
    validator = schema_validator(message_type_id, action, ocpp_version)
    if validator is None:
        return None
    schema = json.loads(json.dumps(validator.schema, default=float))
    # The package's Draft4Validator checks no formats: neither may the fast path (a stricter one only costs time).
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False).is_valid


def validate(message_type_id: int, action: str, payload: Any, ocpp_version: str) -> None:
    """Check `payload` against the schema; raise the OCPPError the spec maps the first violation to.

    The compiled validator answers the common case (valid); any doubt goes to the `ocpp` package's own Draft-4
    validator, whose first error is mapped to the code the version's specification defines for it.
    """
    is_valid = _fast_validator(message_type_id, action, ocpp_version) if action in known_actions(ocpp_version) else None
    if is_valid is None:
        raise OcppNotImplemented(description=f"{trimmed(action, 60)} is not an OCPP {ocpp_version} action")
    if is_valid(payload):
        return
    validator = schema_validator(message_type_id, action, ocpp_version)
    assert validator is not None
    if ocpp_version == "1.6" and (message_type_id, action) in _DECIMAL_ACTIONS_16:
        payload = json.loads(json.dumps(payload), parse_float=decimal.Decimal)
    # The first violation, as the package's validate() raises it: walking every error of a hostile 1 MiB
    # payload would stall the server.
    error = next(validator.iter_errors(payload), None)
    if error is not None:
        raise schema_error(error, ocpp_version)


def schema_error(error: SchemaError, ocpp_version: str) -> OCPPError:
    """The OCPPError for one schema violation, as the version's specification defines its codes."""
    where = "/".join(str(part) for part in error.absolute_path) or "payload"
    cause = trimmed(f"{where}: {error.message}")
    keyword = error.validator
    if keyword == "required":
        # 1.6: ProtocolError is "payload for Action is incomplete"; 2.0.1 narrowed ProtocolError to the PDU
        # structure and defines OccurrenceConstraintViolation for a field that must occur and does not.
        kind = ProtocolError if ocpp_version == "1.6" else OccurrenceConstraintViolationError
    elif keyword in _TYPE_KEYWORDS:
        kind = TypeConstraintViolationError
    elif keyword in _VALUE_KEYWORDS:
        kind = PropertyConstraintViolationError
    elif keyword in _OCCURRENCE_KEYWORDS:
        kind = OccurrenceConstraintViolationError
    else:  # additionalProperties and the rest: the payload does not have the message's shape
        kind = FormatViolationError
    return kind(description=cause, details={"cause": cause})
