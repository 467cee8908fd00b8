"""A test eMSP: a small OCPI 2.2.1 party on 127.0.0.1 that runs the credentials handshake both ways, records what the
CPO pushes (locations, sessions, CDRs, CommandResults), answers real-time authorizations as told, and can go offline
and come back on the same port."""
from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import unquote

import requests

VERSION = "2.2.1"
_numbers = itertools.count(1)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def envelope(data: Any = None, status_code: int = 1000) -> dict[str, Any]:
    body = {"status_code": status_code, "status_message": "ok", "timestamp": now()}
    return body if data is None else body | {"data": data}


def token_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {base64.b64encode(token.encode()).decode()}"}


@dataclass
class Received:
    """One request the CPO made to us."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    authorized: bool


# authorize(uid, body) -> (HTTP status, envelope dict) for POST tokens/{uid}/authorize
Authorizer = Callable[[str, Any], tuple[int, dict[str, Any]]]


class Emsp:
    """An eMSP with country code NL and a party id of its own; `cpo_token` is what it calls the CPO with."""

    def __init__(self, country_code: str = "NL", party_id: str | None = None) -> None:
        self.country_code = country_code
        self.party_id = party_id or f"E{next(_numbers):02d}"
        self.own_token = f"emsp-{self.party_id}-token-C"  # the CPO calls us with this (and with token A before)
        self.accepted_tokens = {self.own_token}
        self.cpo_token: str | None = None
        self.cpo_versions_url: str | None = None
        self.received: list[Received] = []
        self.authorize: Authorizer = lambda uid, body: (404, envelope(status_code=2004))
        self._changed = threading.Condition()
        self._http: ThreadingHTTPServer | None = None
        self.port = 0
        self.go_online()

    # -- lifecycle -------------------------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def versions_url(self) -> str:
        return f"{self.base}/ocpi/versions"

    def go_online(self) -> None:
        emsp = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, answer = emsp.handle(self.command, self.path, dict(self.headers), raw)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815 - http.server's names

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def go_offline(self) -> None:
        """Close the listening socket: the CPO's requests are refused until go_online()."""
        assert self._http is not None
        self._http.shutdown()
        self._http.server_close()
        self._http = None

    def stop(self) -> None:
        if self._http is not None:
            self.go_offline()

    # -- what the CPO sends us -----------------------------------------------------------------------------------
    def details(self) -> dict[str, Any]:
        modules = {"credentials": "SENDER", "locations": "RECEIVER", "sessions": "RECEIVER", "cdrs": "RECEIVER",
                   "tokens": "SENDER", "commands": "SENDER"}  # fmt: skip
        endpoints = [{"identifier": name, "role": role, "url": f"{self.base}/ocpi/{VERSION}/{name}"} for name, role in modules.items()]
        return {"version": VERSION, "endpoints": endpoints}

    def credentials(self) -> dict[str, Any]:
        role = {"role": "EMSP", "business_details": {"name": "Test eMSP"}, "party_id": self.party_id,
                "country_code": self.country_code}  # fmt: skip
        return {"token": self.own_token, "url": self.versions_url, "roles": [role]}

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        body = json.loads(raw) if raw else None
        authorization = headers.get("Authorization", "")
        authorized = any(authorization == token_header(token)["Authorization"] for token in self.accepted_tokens)
        with self._changed:
            self.received.append(Received(method, path, headers, body, authorized))
            self._changed.notify_all()
        if not authorized:
            return 401, envelope(status_code=2000)
        if path == "/ocpi/versions":
            return 200, envelope([{"version": VERSION, "url": f"{self.base}/ocpi/{VERSION}"}])
        if path == f"/ocpi/{VERSION}":
            return 200, envelope(self.details())
        if path == f"/ocpi/{VERSION}/credentials" and method == "POST":
            self.cpo_token, self.cpo_versions_url = body["token"], body["url"]
            return 200, envelope(self.credentials())
        found = re.fullmatch(rf"/ocpi/{VERSION}/tokens/([^/?]+)/authorize(\?.*)?", path)
        if found and method == "POST":
            return self.authorize(unquote(found.group(1)), body)
        return (201 if method == "POST" and "/cdrs" in path else 200), envelope()

    def wait_for(self, predicate: Callable[[Received], bool], timeout: float = 15, count: int = 1) -> list[Received]:
        """The first `count` received requests matching `predicate`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [item for item in self.received if predicate(item)]
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"only {len(found)} of {count}; received {[(r.method, r.path) for r in self.received]}")
                self._changed.wait(remaining)

    def matching(self, predicate: Callable[[Received], bool]) -> list[Received]:
        with self._changed:
            return [item for item in self.received if predicate(item)]

    # -- calling the CPO -------------------------------------------------------------------------------------------
    def register_with(self, cpo_versions_url: str, token_a: str) -> requests.Response:
        """Run the handshake ourselves: versions and details with token A, then POST our credentials."""
        versions = requests.get(cpo_versions_url, headers=token_header(token_a), timeout=10).json()["data"]
        url = next(item["url"] for item in versions if item["version"] == VERSION)
        endpoints = requests.get(url, headers=token_header(token_a), timeout=10).json()["data"]["endpoints"]
        credentials_url = next(item["url"] for item in endpoints if item["identifier"] == "credentials")
        answer = requests.post(credentials_url, json=self.credentials(), headers=token_header(token_a), timeout=20)
        if answer.ok and answer.json().get("status_code") == 1000:
            self.cpo_token = answer.json()["data"]["token"]
            self.cpo_versions_url = cpo_versions_url
        return answer

    def cpo(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """A request to the CPO with the token it gave us (Base64, as 2.2.1 says)."""
        headers = token_header(self.cpo_token or "") | kwargs.pop("headers", {})
        return requests.request(method, url, headers=headers, timeout=15, **kwargs)

    def token(self, uid: str, **changes: Any) -> dict[str, Any]:
        """A Token object of ours."""
        return {
            "country_code": self.country_code, "party_id": self.party_id, "uid": uid, "type": "RFID",
            "contract_id": f"{self.country_code}-{self.party_id}-C{uid[-8:]}", "issuer": "Test eMSP", "valid": True,
            "whitelist": "ALLOWED", "last_updated": now(), **changes,
        }  # fmt: skip

    def response_url(self) -> str:
        return f"{self.base}/results/{next(_numbers)}"
