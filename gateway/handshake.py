"""Every check before the upgrade, in the order docs/gateway.md gives: admit a station or refuse with an HTTP status."""
from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Callable, Iterable

from cryptography import x509

from config import Config
from metrics import AUTH_FAILURES
from gateway import auth, tls
from gateway.throttle import Throttle
from protocol.station_log import StationLog
from protocol.versions import PREFERENCE, SUBPROTOCOLS
from pki.fingerprints import serial_hex
from storage import Store, certificates, issued_certificates, stations, utc_now_iso
from storage.security_events import add_security_event

log = logging.getLogger(__name__)

PATH_PREFIX = "/ws/"
MAX_CS_ID = 48
WEBSOCKET_VERSION = "13"


@dataclass(frozen=True)
class Refusal:
    """An HTTP answer instead of the upgrade; also a WSGI app that sends it."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...] = ()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        phrase = HTTPStatus(self.status).phrase
        body = json.dumps({"status": phrase, "error": self.reason}).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *self.headers]
        start_response(f"{self.status} {phrase}", headers)
        return [body]


@dataclass(frozen=True)
class Admission:
    """A station that passed every check; `subprotocol` None means none shared (upgrade, then close 1002)."""

    cs_id: str
    address: str
    subprotocol: str | None
    credentials: tuple  # the auth columns it was admitted with; a change closes the connection

    @property
    def ocpp_version(self) -> str | None:
        return SUBPROTOCOLS.get(self.subprotocol or "")


@dataclass(frozen=True)
class Transport:
    """What the station connected over, after believing (or not) a trusted proxy's headers."""

    address: str
    is_tls: bool
    certificate: x509.Certificate | None


class Handshake:
    """Decides each upgrade request; counts failures for the throttle.

    Failures count against the station's address and, for a known station, its id. Only a throttled address is
    refused unchecked. A throttled id is refused only after its credentials were checked and found wrong (429
    instead of 401), so others' failures never lock out the right password or certificate from an address that
    has not failed, while guessing one id from many addresses stays throttled. Such a refusal counts against the
    address, not the id (refusals while throttled do not extend a cool-down): else, once an id is throttled, one
    address could guess on without limit and learn the password from a 101. A (station id, address) key would
    add nothing: it never counts more failures than its address does. Unknown ids count against the address
    only: they have no credentials to guard, and their keys would only crowd the throttle's bounded table.
    """

    def __init__(self, config: Config, store: Store, throttle: Throttle) -> None:
        self.config = config
        self.store = store
        self.throttle = throttle

    def admit(self, environ: dict, sock: Any, peer_address: str, live_connections: int) -> Admission | Refusal:
        cs_id = station_id(environ.get("PATH_INFO", ""))
        if cs_id is None:
            return Refusal(404, "no such path; stations connect to /ws/{csId}")
        malformed = upgrade_problem(environ)
        if malformed is not None:
            return malformed
        transport = self.transport(environ, sock, peer_address)
        wait = self.throttle.retry_after(address_key(transport.address))
        if wait is not None:
            return self._throttled(cs_id, transport, wait)
        if live_connections >= self.config.max_connections:
            return Refusal(503, "connection limit reached", (("Retry-After", "30"),))
        station = stations.get_station(self.store, cs_id)
        if station is None:
            return self._fail(cs_id, transport, Refusal(404, f"unknown station {cs_id!r}"), known=False)
        refusal = self._check_credentials(environ, cs_id, station, transport)
        if refusal is not None:
            return self._wrong_credentials(cs_id, transport, refusal)
        credentials = (station["security_profile"], station["password_hash"], station["invalid_username_allowed"])
        return Admission(cs_id, transport.address, choose_subprotocol(environ), credentials)

    def transport(self, environ: dict, sock: Any, peer_address: str) -> Transport:
        is_tls, certificate = tls.is_tls(sock), tls.peer_certificate(sock)
        if peer_address not in self.config.trusted_proxies:
            return Transport(peer_address, is_tls, certificate)
        # The last entry is the one our proxy appended; earlier ones are whatever the client sent.
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        is_tls = is_tls or environ.get("HTTP_X_FORWARDED_PROTO", "").strip().lower() == "https"
        return Transport(forwarded_for or peer_address, is_tls, certificate or self._proxy_certificate(environ))

    def _proxy_certificate(self, environ: dict) -> x509.Certificate | None:
        present = environ.get("HTTP_X_CLIENT_CERT_PRESENT", "").strip().lower() == "true"
        verified = environ.get("HTTP_X_CLIENT_CERT_CHAIN_VERIFIED", "").strip().lower() == "true"
        cert_hash = environ.get("HTTP_X_CLIENT_CERT_HASH", "")
        if not (present and verified and cert_hash):
            return None
        stored = certificates.get_certificate(self.store, auth.normalized_certificate_hash(cert_hash))
        return x509.load_pem_x509_certificate(stored["pem"].encode()) if stored else None

    def _check_credentials(self, environ: dict, cs_id: str, station: dict, transport: Transport) -> Refusal | None:
        profile = station["security_profile"]
        if transport.is_tls != (profile in (1, 2)):
            wanted = "wss:// (TLS)" if profile in (1, 2) else "ws:// (no TLS)"
            return Refusal(401, f"security profile {profile} connects over {wanted}")
        if profile == 2:
            problem = auth.certificate_problem(transport.certificate, cs_id, self.config.org_name)
            if problem is None and self._is_revoked(transport.certificate):
                problem = "the certificate was revoked"
            return Refusal(401, problem) if problem else None
        header = environ.get("HTTP_AUTHORIZATION")
        if auth.basic_auth_ok(header, cs_id, station["password_hash"], bool(station["invalid_username_allowed"])):
            return None
        reason = "missing Basic credentials" if not header else "wrong Basic credentials"
        return Refusal(401, reason, (("WWW-Authenticate", 'Basic realm="OCPP"'),))

    def _is_revoked(self, certificate: x509.Certificate | None) -> bool:
        """Whether our CA issued this certificate and has revoked it since."""
        if certificate is None:
            return False
        return issued_certificates.revocation(self.store, serial_hex(certificate))[1] is not None

    def _wrong_credentials(self, cs_id: str, transport: Transport, refusal: Refusal) -> Refusal:
        wait = self.throttle.retry_after(station_key(cs_id))
        if wait is None:
            return self._fail(cs_id, transport, refusal, known=True)
        self.throttle.fail(address_key(transport.address))
        return self._throttled(cs_id, transport, wait)

    def _throttled(self, cs_id: str, transport: Transport, wait: int) -> Refusal:
        StationLog(log, {"cs_id": cs_id}).warning("handshake from %s throttled (%d s)", transport.address, wait)
        return Refusal(429, "too many failed attempts; retry later", (("Retry-After", str(wait)),))

    def _fail(self, cs_id: str, transport: Transport, refusal: Refusal, known: bool) -> Refusal:
        self.throttle.fail(address_key(transport.address), *([station_key(cs_id)] if known else []))
        AUTH_FAILURES.labels(str(refusal.status)).inc()
        StationLog(log, {"cs_id": cs_id}).warning(
            "handshake from %s refused: %d %s", transport.address, refusal.status, refusal.reason
        )
        if known:  # unknown ids get no rows: anyone could fill the table with them
            tech_info = f"{refusal.status} {refusal.reason} from {transport.address}"[:255]
            add_security_event(self.store, cs_id, "FailedToAuthenticateAtCsms", utc_now_iso(), tech_info, source="csms")
        return refusal


def address_key(address: str) -> str:
    return f"address {address}"


def station_key(cs_id: str) -> str:
    return f"station {cs_id}"


def upgrade_problem(environ: dict) -> Refusal | None:
    """400 (426 for the version, RFC 6455 §4.2.2) for a request that is no WebSocket opening handshake.

    At least as strict as wsproto, which checks again at the upgrade and can only drop the connection there.
    """
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_UPGRADE", "").lower() != "websocket":
        return Refusal(400, "not a WebSocket handshake")
    if "upgrade" not in {token.strip().lower() for token in environ.get("HTTP_CONNECTION", "").split(",")}:
        return Refusal(400, "not a WebSocket handshake: no Connection: Upgrade")
    if not environ.get("HTTP_HOST"):
        return Refusal(400, "not a WebSocket handshake: no Host")
    if environ.get("HTTP_SEC_WEBSOCKET_VERSION") != WEBSOCKET_VERSION:
        supported = (("Sec-WebSocket-Version", WEBSOCKET_VERSION),)
        return Refusal(426, f"WebSocket version {WEBSOCKET_VERSION} only", supported)
    if not is_websocket_key(environ.get("HTTP_SEC_WEBSOCKET_KEY", "")):
        return Refusal(400, "Sec-WebSocket-Key is not the base64 of 16 bytes")
    return None


def is_websocket_key(key: str) -> bool:
    """RFC 6455 §4.1: the key is 16 random bytes, base64-encoded."""
    try:
        return len(base64.b64decode(key, validate=True)) == 16
    except ValueError:  # binascii.Error
        return False


def station_id(path: str) -> str | None:
    """The csId of `/ws/{csId}` (percent-decoded by the server), or None when it breaks the rules."""
    if not path.startswith(PATH_PREFIX):
        return None
    try:
        # PEP 3333: PATH_INFO holds the decoded bytes as latin-1; the id itself is UTF-8.
        cs_id = path[len(PATH_PREFIX):].encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if not 1 <= len(cs_id) <= MAX_CS_ID or ":" in cs_id or "/" in cs_id:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in cs_id):  # control characters would forge log lines
        return None
    return cs_id


def choose_subprotocol(environ: dict) -> str | None:
    """The newest subprotocol both sides speak, or None."""
    offered = {part.strip() for part in environ.get("HTTP_SEC_WEBSOCKET_PROTOCOL", "").split(",")}
    return next((name for name in PREFERENCE if name in offered), None)
