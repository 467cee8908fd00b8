"""What a station's answers mean for a command: per-setting statuses, certificate outcomes, follow-up Resets."""
from __future__ import annotations

import json
from typing import Any

from outbox.plan import PlannedCall
from protocol.settings import PASSWORD_SETTINGS, parse_variable_name
from protocol.versions import message_family

# Answers after which an install is over; Failed is retried like a timeout.
FINAL_CERTIFICATE_STATUSES = ("Accepted", "Rejected")
RESET_TYPES = {"1.6": {"type": "Soft"}, "2.0.1": {"type": "OnIdle"}}


def setting_statuses(version: str, call: PlannedCall, result: dict[str, Any]) -> dict[str, str]:
    """Setting name → the station's status for it, from a ChangeConfiguration or SetVariables answer."""
    if version == "1.6":
        return {call.keys[0]: result["status"]}
    answers = result.get("setVariableResult", [])
    statuses = {}
    for name in call.keys:
        variable = parse_variable_name(name)
        answer = next((item for item in answers if variable.matches(item)), None)
        # A station that leaves a setting out of its answer has not applied it.
        statuses[name] = answer["attributeStatus"] if answer else "Rejected"
    return statuses


def accepted_password(version: str, settings: dict[str, str], statuses: dict[str, str]) -> str | None:
    """The new Basic auth password when the station accepted it, else None (the old one stays, OCPP A01)."""
    name = PASSWORD_SETTINGS[message_family(version)]
    if name in statuses and statuses[name] in ("Accepted", "RebootRequired"):
        return settings[name]
    return None


def needs_reset(statuses: dict[str, str]) -> bool:
    """Whether any setting waits for a reboot to take effect."""
    return any(status == "RebootRequired" for status in statuses.values())


def certificate_status(call: PlannedCall, result: dict[str, Any]) -> str | None:
    """The install status from an InstallCertificate answer or the OCA DataTransfer's inner answer; None if absent."""
    if call.action != "DataTransfer":
        return result.get("status")
    data = result.get("data")
    if result.get("status") != "Accepted" or not data:
        return None
    try:
        inner = json.loads(data)
    except ValueError:
        return None
    return inner.get("status") if isinstance(inner, dict) else None
