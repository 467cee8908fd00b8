"""Setting names of both versions: 1.6 configuration keys, 2.0.1 `<component>.../<variable>...` names taken apart."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from protocol.errors import NotExpressible

PASSWORD_SETTINGS = {"1.6": "AuthorizationKey", "2.0.1": "SecurityCtrlr/BasicAuthPassword"}
ATTRIBUTE_TYPES = ("Actual", "Target", "MinSet", "MaxSet")
_NAME_CHARS = r"[A-Za-z0-9*\-_=:+|@.]+"
_NAME_201 = re.compile(rf"^({_NAME_CHARS})(?:;({_NAME_CHARS}))?(?:;(\d+))?/({_NAME_CHARS})(?:;({_NAME_CHARS}))?(?:;({_NAME_CHARS}))?$")


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
