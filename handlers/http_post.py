"""One HTTP POST to a service the CSMS relies on (an OCSP responder, a contract certificate provider): http(s) only,
a timeout, a bounded answer. Cooperative under gevent, so only the asking station waits."""
from __future__ import annotations

import urllib.request

MAX_ANSWER_BYTES = 64 * 1024


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> bytes:
    """The answer's body; raises OSError (urllib's errors included) or ValueError (not an http(s) URL)."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"{url[:80]!r} is not an http(s) URL")
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - the scheme is checked above
        return answer.read(MAX_ANSWER_BYTES)
