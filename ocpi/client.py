"""Our requests to OCPI partners: the token header, request ids, a timeout, a bounded answer, and what the answer
means (taken, refused for good, or worth trying again). Cooperative under gevent: only the caller waits."""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

MAX_ANSWER_BYTES = 1024 * 1024
# Client errors a later try may get past: a timeout on their side, or being told to slow down.
_RETRIABLE_HTTP = (408, 425, 429)


@dataclass
class Outcome:
    """What a partner answered: `ok` with the envelope's data, else why, and whether trying again may help."""

    ok: bool
    data: Any = None
    error: str = ""
    retriable: bool = False
    headers: dict[str, str] | None = None


def authorization(token: str, version: str | None) -> str:
    """The Authorization header for a partner: Base64 as OCPI 2.2.1 requires, the raw token for a 2.2 partner (most
    2.2 implementations do not decode)."""
    if version == "2.2":
        return f"Token {token}"
    return f"Token {base64.b64encode(token.encode()).decode()}"


def call(
    method: str,
    url: str,
    token: str,
    version: str | None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> Outcome:
    """Send one request and judge its answer; never raises for what the partner or the network does."""
    if not url.lower().startswith(("http://", "https://")):
        return Outcome(False, error=f"{url[:80]!r} is not an http(s) URL")
    request_id = str(uuid.uuid4())
    sent_headers = {
        "Authorization": authorization(token, version),
        "X-Request-ID": request_id,
        "X-Correlation-ID": request_id,
        **(headers or {}),
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=sent_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - the scheme is checked above
            return judge(answer.status, answer.read(MAX_ANSWER_BYTES), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return judge(error.code, error.read(MAX_ANSWER_BYTES), dict(error.headers or {}))
    except (OSError, ValueError) as error:  # refused, reset, timed out, bad URL
        return Outcome(False, error=f"{method} {url}: {error}", retriable=True)


def judge(http_status: int, raw: bytes, headers: dict[str, str]) -> Outcome:
    """An answer's meaning: 2xx with an OCPI 1xxx status is success; 4xx or a 2xxx status is final; anything else
    (5xx, 3xxx, garbage) may pass later."""
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    status_code = body.get("status_code") if isinstance(body, dict) else None
    message = body.get("status_message", "") if isinstance(body, dict) else ""
    if 200 <= http_status < 300 and isinstance(status_code, int) and 1000 <= status_code < 2000:
        return Outcome(True, data=body.get("data"), headers=headers)
    error = f"HTTP {http_status}, OCPI status {status_code}: {str(message)[:200]}"
    if status_code is None and 200 <= http_status < 300:
        return Outcome(False, error=f"HTTP {http_status}: no OCPI envelope in the answer", retriable=True)
    client_error = (400 <= http_status < 500 and http_status not in _RETRIABLE_HTTP) or (
        isinstance(status_code, int) and 2000 <= status_code < 3000
    )
    return Outcome(False, error=error, retriable=not client_error)
