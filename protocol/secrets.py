"""Which OCPP payloads and queued operations carry passwords, and the same with every password masked."""
from __future__ import annotations

import re
from typing import Any

MASK = "********"
SECRET_SETTINGS = re.compile(r"^(AuthorizationKey|SecurityCtrlr(;[^/]*)?/BasicAuthPassword(;.*)?)$")


def mask_params(operation: str | None, params: Any) -> Any:
    """A command's params (reconfigure settings, a call's payload) with password values replaced by the mask."""
    if operation == "reconfigure" and isinstance(params, dict):
        return {name: MASK if SECRET_SETTINGS.match(name) else value for name, value in params.items()}
    if operation == "call" and isinstance(params, dict):
        return {**params, "payload": mask_payload(params.get("payload"))}
    return params


def mask_payload(payload: Any) -> Any:
    """An OCPP payload with every password it can carry masked (configuration keys, variables, network profiles)."""
    if not isinstance(payload, dict):
        return payload
    payload = dict(payload)
    if payload.get("key") == "AuthorizationKey" and "value" in payload:
        payload["value"] = MASK
    if isinstance(payload.get("setVariableData"), list):
        payload["setVariableData"] = [_mask_variable(item) for item in payload["setVariableData"]]
    connection = payload.get("connectionData")
    if isinstance(connection, dict):
        connection = dict(connection)
        for part, secret in (("vpn", "password"), ("apn", "apnPassword")):
            if isinstance(connection.get(part), dict) and secret in connection[part]:
                connection[part] = {**connection[part], secret: MASK}
        payload["connectionData"] = connection
    return payload


def _mask_variable(item: Any) -> Any:
    if isinstance(item, dict) and (item.get("variable") or {}).get("name") == "BasicAuthPassword":
        return {**item, "attributeValue": MASK}
    return item


def split_secrets(operation: str, params: Any) -> tuple[Any, Any | None]:
    """(params as anyone may read them, the params with their passwords or None when they carry none)."""
    masked = mask_params(operation, params)
    return masked, (params if masked != params else None)
