"""Setting names of /reconfigure: which OCPP version each name fits (1.6 keys, 2.0.1 component/variable)."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_KEY_16 = 50
MAX_VALUE_16 = 500
# Basic auth passwords the station will send: OCPP 1.6 AuthorizationKey in bytes, 2.0.1 BasicAuthPassword in characters.
AUTHORIZATION_KEY_BYTES = (16, 20)
BASIC_AUTH_PASSWORD_CHARACTERS = (16, 40)
_CHARS = r"[A-Za-z0-9*\-_=:+|@.]+"
# The original's form c(;ci)?(;e)?/v(;vi)?(;attributeType)?, with its character set.
_NAME_201 = re.compile(
    rf"^(?P<c>{_CHARS})(;(?P<ci>{_CHARS}))?(;(?P<e>{_CHARS}))?/(?P<v>{_CHARS})(;(?P<vi>{_CHARS}))?"
    r"(;(?P<at>Actual|Target|MinSet|MaxSet))?$"
)


@dataclass(frozen=True)
class VariableName:
    """A 2.0.1 setting name taken apart."""

    component: str
    component_instance: str | None
    evse_id: int | None
    variable: str
    variable_instance: str | None
    attribute_type: str


def parse_201_name(name: str) -> VariableName | None:
    """`Comp;inst;1/Var;vinst;Target` → its parts; None when the name is not a 2.0.1 setting name."""
    match = _NAME_201.match(name)
    if match is None:
        return None
    evse = match["e"]
    if evse is not None and not evse.isdigit():
        return None
    return VariableName(
        component=match["c"],
        component_instance=match["ci"],
        evse_id=int(evse) if evse is not None else None,
        variable=match["v"],
        variable_instance=match["vi"],
        attribute_type=match["at"] or "Actual",
    )


def problem_16(name: str, value: str) -> str | None:
    """Why `name = value` cannot be an OCPP 1.6 configuration change, or None."""
    if not name or len(name) > MAX_KEY_16:
        return f"an OCPP 1.6 key has 1-{MAX_KEY_16} characters"
    if len(value) > MAX_VALUE_16:
        return f"an OCPP 1.6 value has at most {MAX_VALUE_16} characters"
    low, high = AUTHORIZATION_KEY_BYTES
    if name == "AuthorizationKey" and not low <= len(value.encode()) <= high:
        return f"an OCPP 1.6 AuthorizationKey has {low}-{high} bytes"
    return None


def problem_201(name: str, value: str) -> str | None:
    """Why `name = value` cannot be an OCPP 2.0.1 variable setting, or None."""
    parsed = parse_201_name(name)
    if parsed is None:
        return (
            "an OCPP 2.0.1 name is <component>[;<instance>][;<evseId>]/<variable>"
            "[;<instance>][;Actual|Target|MinSet|MaxSet]"
        )
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
