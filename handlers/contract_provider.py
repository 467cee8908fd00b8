"""Get15118EVCertificate: the EV's EXI request handed to a contract-certificate provider chosen by a setting.

- `none` (default): Failed, and the log says why.
- `http`: an external PKI (a mobility operator's or a roaming hub's) at CSMS_CONTRACT_PROVIDER_URL, with
  CSMS_CONTRACT_PROVIDER_TOKEN as bearer token: the station's request as JSON in, `{status, exiResponse}` out.
- `local`: our contract sub-CA signs contract certificates (see POST /api/v0/pki/contract-certificates), but
  answering the EV needs an ISO 15118-2 EXI codec to read its CertificateInstallationReq and write the response,
  which we do not have: Failed, and the log says so.
"""
from __future__ import annotations

import json
from typing import Any

from handlers.http_post import post
from handlers.routing import CallContext

FAILED = {"status": "Failed", "exiResponse": ""}


def install(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    """The Get15118EVCertificateResponse from the configured provider; Failed (logged) when none can answer."""
    provider = ctx.config.contract_provider
    if provider == "http" and ctx.config.contract_provider_url:
        return _ask_http(ctx, payload)
    reason = {
        "none": "no contract certificate provider configured (CSMS_CONTRACT_PROVIDER)",
        "http": "CSMS_CONTRACT_PROVIDER_URL is not set",
        "local": "the local provider cannot read the EV's EXI request (no ISO 15118-2 EXI codec)",
    }.get(provider, f"unknown contract certificate provider {provider[:40]!r}")
    ctx.log.warning("%s %s: %s", ctx.action, ctx.message_id, reason)
    return FAILED


def _ask_http(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    config = ctx.config
    body = json.dumps({"csId": ctx.cs_id, **payload}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if config.contract_provider_token:
        headers["Authorization"] = f"Bearer {config.contract_provider_token}"
    try:
        result = json.loads(post(str(config.contract_provider_url), body, headers, config.ocsp_timeout))
    except (OSError, ValueError) as error:
        ctx.log.warning("%s %s: contract certificate provider failed: %s", ctx.action, ctx.message_id, error)
        return FAILED
    if not (isinstance(result, dict) and result.get("status") in ("Accepted", "Failed")
            and isinstance(result.get("exiResponse"), str) and len(result["exiResponse"]) <= 5600):
        ctx.log.warning("%s %s: contract certificate provider answered no {status, exiResponse}", ctx.action, ctx.message_id)
        return FAILED
    return {"status": result["status"], "exiResponse": result["exiResponse"]}
