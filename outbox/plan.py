"""What OCPP calls a queued command becomes for the station's version: the seed's operations resolved at send time."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from handlers.plug_and_charge import VENDOR as OCA_PNC_VENDOR
from outbox.charging_profiles import NotExpressible, to_ocpp16

PASSWORD_SETTINGS = {"1.6": "AuthorizationKey", "2.0.1": "SecurityCtrlr/BasicAuthPassword"}
ATTRIBUTE_TYPES = ("Actual", "Target", "MinSet", "MaxSet")
_NAME_CHARS = r"[A-Za-z0-9*\-_=:+|@.]+"
_NAME_201 = re.compile(rf"^({_NAME_CHARS})(?:;({_NAME_CHARS}))?(?:;(\d+))?/({_NAME_CHARS})(?:;({_NAME_CHARS}))?(?:;({_NAME_CHARS}))?$")

_ROOT_TYPES_201 = {
    "V2G": "V2GRootCertificate",
    "MO": "MORootCertificate",
    "CSMS": "CSMSRootCertificate",
    "MF": "ManufacturerRootCertificate",
}
_ROOT_TYPES_16 = {"CSMS": "CentralSystemRootCertificate", "MF": "ManufacturerRootCertificate"}


@dataclass
class PlannedCall:
    """One OCPP call of a command; `keys` names the settings it carries (reconfigure)."""

    action: str
    payload: dict[str, Any]
    keys: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Variable201:
    """A 2.0.1 setting name taken apart: `<component>[;<instance>][;<evseId>]/<variable>[;<instance>][;<attributeType>]`."""

    component: str
    component_instance: str | None
    evse_id: int | None
    variable: str
    variable_instance: str | None
    attribute_type: str

    def set_variable_data(self, value: str) -> dict[str, Any]:
        component: dict[str, Any] = {"name": self.component}
        if self.component_instance:
            component["instance"] = self.component_instance
        if self.evse_id is not None:
            component["evse"] = {"id": self.evse_id}
        variable: dict[str, Any] = {"name": self.variable}
        if self.variable_instance:
            variable["instance"] = self.variable_instance
        return {"attributeType": self.attribute_type, "attributeValue": value, "component": component, "variable": variable}

    def matches(self, result: dict[str, Any]) -> bool:
        component, variable = result["component"], result["variable"]
        return (
            component["name"] == self.component
            and component.get("instance") == self.component_instance
            and (component.get("evse") or {}).get("id") == self.evse_id
            and variable["name"] == self.variable
            and variable.get("instance") == self.variable_instance
            and result.get("attributeType", "Actual") == self.attribute_type
        )


def parse_variable_name(name: str) -> Variable201:
    """Take a 2.0.1 setting name apart; raises NotExpressible naming what is wrong."""
    match = _NAME_201.match(name)
    if match is None:
        raise NotExpressible(f"{name!r} is not <component>[;<instance>][;<evseId>]/<variable>[;<instance>][;<attributeType>]")
    component, instance, evse, variable, second, third = match.groups()
    variable_instance, attribute_type = second, third or "Actual"
    if third is None and second in ATTRIBUTE_TYPES:
        variable_instance, attribute_type = None, second
    if attribute_type not in ATTRIBUTE_TYPES:
        raise NotExpressible(f"{name!r}: attribute type must be one of {', '.join(ATTRIBUTE_TYPES)}")
    return Variable201(component, instance, None if evse is None else int(evse), variable, variable_instance, attribute_type)


def check_setting_16(name: str, value: str) -> None:
    """Raise NotExpressible when a 1.6 ChangeConfiguration cannot carry this key and value."""
    if len(name) > 50:
        raise NotExpressible(f"{name!r}: OCPP 1.6 configuration keys have at most 50 characters")
    if len(value) > 500:
        raise NotExpressible(f"{name!r}: OCPP 1.6 configuration values have at most 500 characters")


def _reconfigure(version: str, settings: dict[str, str], batch_size: int) -> list[PlannedCall]:
    if version == "1.6":
        calls = []
        for name, value in settings.items():
            check_setting_16(name, value)
            wire_value = value.encode().hex() if name == PASSWORD_SETTINGS["1.6"] else value
            calls.append(PlannedCall("ChangeConfiguration", {"key": name, "value": wire_value}, (name,)))
        return calls
    items = [(name, parse_variable_name(name).set_variable_data(value)) for name, value in settings.items()]
    return [
        PlannedCall(
            "SetVariables",
            {"setVariableData": [data for _, data in items[start : start + batch_size]]},
            tuple(name for name, _ in items[start : start + batch_size]),
        )
        for start in range(0, len(items), batch_size)
    ]


def _oca(message_id: str, inner: dict[str, Any]) -> PlannedCall:
    return PlannedCall("DataTransfer", {"vendorId": OCA_PNC_VENDOR, "messageId": message_id, "data": json.dumps(inner)})


def _trigger(version: str, trigger: str) -> PlannedCall:
    if version != "1.6":
        return PlannedCall("TriggerMessage", {"requestedMessage": trigger})
    if trigger in ("BootNotification", "StatusNotification"):
        return PlannedCall("TriggerMessage", {"requestedMessage": trigger})
    if trigger == "SignChargingStationCertificate":
        return PlannedCall("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})
    return _oca("TriggerMessage", {"requestedMessage": trigger})


def _install_certificate(version: str, certificate_type: str, pem: str, variant: str | None) -> PlannedCall:
    if version != "1.6":
        return PlannedCall("InstallCertificate", {"certificateType": _ROOT_TYPES_201[certificate_type], "certificate": pem})
    if certificate_type in _ROOT_TYPES_16 and variant != "oca":
        return PlannedCall("InstallCertificate", {"certificateType": _ROOT_TYPES_16[certificate_type], "certificate": pem})
    return _oca("InstallCertificate", {"certificateType": _ROOT_TYPES_201[certificate_type], "certificate": pem})


def plan_calls(
    command: dict[str, Any],
    version: str,
    pending_settings: dict[str, str] | None = None,
    batch_size: int = 50,
    connector_of_transaction: Callable[[str], int | None] = lambda _: None,
) -> list[PlannedCall]:
    """The calls that carry `command` to a station of `version`; raises NotExpressible when none can.

    `pending_settings` are the reconfigure names still unanswered (a retried command resends only those).
    """
    operation, params = command["operation"], command.get("params") or {}
    if operation == "reconfigure":
        return _reconfigure(version, pending_settings if pending_settings is not None else params, batch_size)
    if operation == "trigger":
        return [_trigger(version, params["trigger"])]
    if operation == "installCertificate":
        return [_install_certificate(version, params["type"], params["certificate"], params.get("variant"))]
    if operation == "setChargingProfile":
        if version == "1.6":
            return [PlannedCall("SetChargingProfile", to_ocpp16(params, connector_of_transaction))]
        return [PlannedCall("SetChargingProfile", params)]
    if operation == "call":
        return [PlannedCall(params["action"], params["payload"])]
    raise NotExpressible(f"unknown operation {operation!r}")
