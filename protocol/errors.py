"""CALLERROR codes as each OCPP version spells them, short causes, and the error of a call a version cannot carry."""
from __future__ import annotations

from ocpp.exceptions import OCPPError

MAX_CAUSE = 200

# 1.6 spells two codes differently and has no RpcFrameworkError; the `ocpp` package raises the 2.0.1 names.
_SPELLING_16 = {
    "FormatViolation": "FormationViolation",
    "OccurrenceConstraintViolation": "OccurenceConstraintViolation",
    "RpcFrameworkError": "FormationViolation",
    "MessageTypeNotSupported": "NotSupported",
}
_SPELLING_201 = {"FormationViolation": "FormatViolation", "OccurenceConstraintViolation": "OccurrenceConstraintViolation"}


class NotExpressible(ValueError):
    """What we were asked to send has no form in the station's OCPP version; the message says what stands in the way."""


def spelled(code: str, ocpp_version: str) -> str:
    """A CALLERROR code as the given OCPP version spells it."""
    if ocpp_version == "1.6":
        return _SPELLING_16.get(code, code)
    return _SPELLING_201.get(code, code)


def error_code(error: OCPPError, ocpp_version: str) -> str:
    """The CALLERROR code of `error` as the given OCPP version spells it."""
    return spelled(error.code, ocpp_version)


def trimmed(text: str, limit: int = MAX_CAUSE) -> str:
    """A cause short enough for a CALLERROR description or a log line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
