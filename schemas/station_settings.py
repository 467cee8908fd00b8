"""Setting names of /reconfigure: which OCPP version each name fits (1.6 keys, 2.0.1 component/variable)."""
from __future__ import annotations

from protocol.errors import NotExpressible
from protocol.settings import check_setting_16, parse_variable_name

# Basic auth passwords the station will send: OCPP 1.6 AuthorizationKey in bytes, 2.0.1 BasicAuthPassword in characters.
AUTHORIZATION_KEY_BYTES = (16, 20)
BASIC_AUTH_PASSWORD_CHARACTERS = (16, 40)


def problem_16(name: str, value: str) -> str | None:
    """Why `name = value` cannot be an OCPP 1.6 configuration change, or None."""
    if not name:
        return "an OCPP 1.6 key has at least one character"
    try:
        check_setting_16(name, value)
    except NotExpressible as error:
        return str(error)
    low, high = AUTHORIZATION_KEY_BYTES
    if name == "AuthorizationKey" and not low <= len(value.encode()) <= high:
        return f"an OCPP 1.6 AuthorizationKey has {low}-{high} bytes"
    return None


def problem_201(name: str, value: str) -> str | None:
    """Why `name = value` cannot be an OCPP 2.0.1 variable setting, or None."""
    try:
        parsed = parse_variable_name(name)
    except NotExpressible as error:
        return str(error)
    low, high = BASIC_AUTH_PASSWORD_CHARACTERS
    is_password = (parsed.component, parsed.variable) == ("SecurityCtrlr", "BasicAuthPassword")
    if is_password and not low <= len(value) <= high:
        return f"an OCPP 2.0.1 BasicAuthPassword has {low}-{high} characters"
    return None


def setting_problem(name: str, value: str, ocpp_version: str | None) -> str | None:
    """Why the setting cannot be sent to a station of this version (unknown version: fits neither), or None."""
    if ocpp_version == "1.6":
        problem = problem_16(name, value)
    elif ocpp_version in ("2.0.1", "2.1"):
        problem = problem_201(name, value)
    else:
        problems = [problem_16(name, value), problem_201(name, value)]
        problem = f"fits neither OCPP 1.6 ({problems[0]}) nor 2.0.1 ({problems[1]})" if all(problems) else None
    return f"body.{name}: {problem}" if problem else None
