"""What OCPP calls a queued command becomes for the station's version: the seed's operations and local lists resolved
at send time."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from protocol.charging_profiles import to_ocpp16
from protocol.errors import NotExpressible
from protocol.local_lists import LocalListState, send_local_list
from protocol.settings import PASSWORD_SETTINGS, check_setting_16, parse_variable_name
from protocol.versions import OCA_PNC_VENDOR

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


def _certificate_signed(version: str, params: dict[str, Any]) -> PlannedCall:
    """The chain our CA issued: 2.0.1 CertificateSigned; 1.6 its own form for the charge point certificate (the
    Security Whitepaper knows no other), OCA DataTransfer (the 2.0.1 payload) for a V2G certificate."""
    if version != "1.6":
        return PlannedCall("CertificateSigned", params)
    if params.get("certificateType") == "V2GCertificate":
        return _oca("CertificateSigned", params)
    return PlannedCall("CertificateSigned", {"certificateChain": params["certificateChain"]})


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
    local_list_of: Callable[[list[str] | None], LocalListState] | None = None,
) -> list[PlannedCall]:
    """The calls that carry `command` to a station of `version`; raises NotExpressible when none can.

    `pending_settings` are the reconfigure names still unanswered (a retried command resends only those);
    `local_list_of(uids)` is the station's local list now, with the stored tokens of `uids` (None: all).
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
    if operation == "certificateSigned":
        return [_certificate_signed(version, params)]
    if operation == "sendLocalList":
        if local_list_of is None:
            raise NotExpressible("sendLocalList needs the station's local list")
        return [PlannedCall("SendLocalList", send_local_list(version, params, local_list_of(params.get("tokens"))))]
    if operation == "call":
        return [PlannedCall(params["action"], params["payload"])]
    raise NotExpressible(f"unknown operation {operation!r}")
