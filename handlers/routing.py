"""The Routes registry per OCPP version: schema checks with the `ocpp` package and CALLERRORs spelled per version."""
from __future__ import annotations

import decimal
import functools
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

import jsonschema_rs
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError as SchemaError
from ocpp.exceptions import (
    FormatViolationError,
    InternalError,
    NotImplementedError as OcppNotImplemented,
    OCPPError,
    ProtocolError,
    TypeConstraintViolationError,
)
from ocpp.messages import MessageType, get_validator

from config import Config
from storage import Store

log = logging.getLogger(__name__)

VERSIONS = ("1.6", "2.0.1", "2.1")
SUBPROTOCOLS = {"ocpp1.6": "1.6", "ocpp2.0.1": "2.0.1", "ocpp2.1": "2.1"}

# 1.6 spells two codes differently and has no RpcFrameworkError; the `ocpp` package raises the 2.0.1 names.
_SPELLING_16 = {
    "FormatViolation": "FormationViolation",
    "OccurrenceConstraintViolation": "OccurenceConstraintViolation",
    "RpcFrameworkError": "FormationViolation",
    "MessageTypeNotSupported": "NotSupported",
}
_SPELLING_201 = {"FormationViolation": "FormatViolation", "OccurenceConstraintViolation": "OccurrenceConstraintViolation"}

# The 1.6 schemas give these fields one decimal place (multipleOf 0.1): binary floats would fail them.
_DECIMAL_ACTIONS_16 = {
    (MessageType.Call, "SetChargingProfile"),
    (MessageType.Call, "RemoteStartTransaction"),
    (MessageType.CallResult, "GetCompositeSchedule"),
}

MAX_CAUSE = 200


class StationLog(logging.LoggerAdapter):
    """Logger that names the station on every line."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return f"[{self.extra['cs_id']}] {msg}", kwargs


@dataclass
class CallContext:
    """What a handler knows about the CALL it answers."""

    cs_id: str
    message_id: str
    action: str
    ocpp_version: str
    store: Store
    config: Config
    log: logging.LoggerAdapter
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[CallContext, dict], dict]


def message_family(ocpp_version: str) -> str:
    """The version whose message shapes we build and read: 2.1 keeps 2.0.1's for every message we use."""
    return "1.6" if ocpp_version == "1.6" else "2.0.1"


def error_code(error: OCPPError, ocpp_version: str) -> str:
    """The CALLERROR code of `error` as the given OCPP version spells it."""
    code = error.code
    if ocpp_version == "1.6":
        return _SPELLING_16.get(code, code)
    return _SPELLING_201.get(code, code)


def trimmed(text: str, limit: int = MAX_CAUSE) -> str:
    """A cause short enough for a CALLERROR description or a log line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def schema_validator(message_type_id: int, action: str, ocpp_version: str) -> Draft4Validator | None:
    """The `ocpp` package's cached validator for a message, or None when the version has no such message."""
    parse_float = decimal.Decimal if (message_type_id, action) in _DECIMAL_ACTIONS_16 and ocpp_version == "1.6" else float
    try:
        return get_validator(message_type_id, action, ocpp_version, parse_float=parse_float)
    except (OSError, ValueError, json.JSONDecodeError):
        return None


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
    validator, whose first error is mapped to a code as the package maps it.
    """
    is_valid = _fast_validator(message_type_id, action, ocpp_version)
    if is_valid is None:
        raise OcppNotImplemented(description=f"{action} is not an OCPP {ocpp_version} action")
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
        raise _schema_error(error)


def _schema_error(error: SchemaError) -> OCPPError:
    where = "/".join(str(part) for part in error.absolute_path) or "payload"
    cause = trimmed(f"{where}: {error.message}")
    if error.validator == "required":
        return ProtocolError(description=cause, details={"cause": cause})
    if error.validator in ("type", "maxLength"):  # the `ocpp` package's mapping; everything else is a format error
        return TypeConstraintViolationError(description=cause, details={"cause": cause})
    return FormatViolationError(description=cause, details={"cause": cause})


class Routes:
    """Handlers of one OCPP version, by action name."""

    def __init__(self, ocpp_version: str) -> None:
        self.ocpp_version = ocpp_version
        self.handlers: dict[str, Handler] = {}

    def on(self, action: str) -> Callable[[Handler], Handler]:
        """Register the decorated function as the answer to `action`."""

        def register(handler: Handler) -> Handler:
            if action in self.handlers:
                raise ValueError(f"{action} already has a handler for OCPP {self.ocpp_version}")
            self.handlers[action] = handler
            return handler

        return register

    def handle_call(self, ctx: CallContext, payload: Any) -> dict:
        """Validate a station CALL, run its handler, validate and return the CALLRESULT payload.

        Raises OCPPError (spell its code with `error_code`) for anything the station must hear as a CALLERROR.
        """
        handler = self.handlers.get(ctx.action)
        if handler is None:
            raise OcppNotImplemented(description=f"{trimmed(ctx.action, 60)} is not supported")
        validate(MessageType.Call, ctx.action, payload, self.ocpp_version)
        try:
            result = handler(ctx, payload)
        except OCPPError:
            raise
        except Exception:
            ctx.log.exception("%s %s: handler failed", ctx.action, ctx.message_id)
            raise InternalError(description="the CSMS failed to handle this message")
        try:
            validate(MessageType.CallResult, ctx.action, result, self.ocpp_version)
        except OCPPError as error:
            ctx.log.error("%s %s: our answer does not fit the schema: %s", ctx.action, ctx.message_id, error.description)
            raise InternalError(description="the CSMS built an invalid answer")
        return result
