"""A simulated station's link to the CSMS: connect, boot, timed CALLs, and coming back after a drop or a reboot."""
from __future__ import annotations

import asyncio
import base64
import random
import ssl
import time
from dataclasses import dataclass
from typing import Any

import websockets
from ocpp.exceptions import OCPPError

from sim.dialects import dialect_for
from sim.metrics import Metrics
from sim.stations import STATION_CLASSES, ConnectionLost, Model, Station16, Station201

CALL_TIMEOUT = 20  # seconds for the CSMS to answer one CALL
OPEN_TIMEOUT = 20  # seconds for the TCP, TLS and WebSocket handshakes
OFFLINE_WAIT = 60  # seconds a CALL waits for the station to be back online
RECONNECT_JITTER = 1.0  # seconds: stations that lost their connection together come back spread over this
MAX_BACKOFF = 30
REFUSALS = {
    401: "handshake refused (401): wrong password, or the wrong transport for its security profile",
    404: "handshake refused (404): the CSMS does not know this station",
    429: "handshake refused (429): too many failed attempts, the CSMS throttles this address for a while",
}


class ConnectError(Exception):
    """The station could not connect; `str()` is one line."""


class CallFailed(Exception):
    """A CALL got a CALLERROR or no answer; `str()` is one line."""


@dataclass
class Endpoint:
    """Where and how a station connects: the WebSocket base URL (without the id), its password, its TLS."""

    url: str
    version: str
    password: str | None
    ssl: ssl.SSLContext | None = None


class StationConnection:
    """The connection half of a simulated station; sim/behaviour.py's SimStation adds what it does."""

    model: Model

    def __init__(self, cs_id: str, endpoint: Endpoint, metrics: Metrics) -> None:
        self.cs_id = cs_id
        self.endpoint = endpoint
        self.metrics = metrics
        self.dialect = dialect_for(endpoint.version)
        self.link: Station16 | Station201 | None = None
        self._ws: Any = None
        self.online = asyncio.Event()
        self.boots = 0
        self._booted = asyncio.Condition()
        self._closed = asyncio.Event()
        self._stopping = False
        self._needs_boot = False  # the next connection boots (after a reboot or a power loss)
        self._boot_reason = "PowerUp"
        self._supervisor: asyncio.Task | None = None

    async def connect(self) -> None:
        """Open the WebSocket and start answering the CSMS; ConnectError says why not."""
        endpoint = self.endpoint
        headers = {}
        if endpoint.password is not None:
            secret = base64.b64encode(f"{self.cs_id}:{endpoint.password}".encode()).decode()
            headers["Authorization"] = f"Basic {secret}"
        is_tls = endpoint.url.startswith("wss:")
        try:
            ws = await websockets.connect(
                f"{endpoint.url}/{self.cs_id}", subprotocols=[f"ocpp{endpoint.version}"], additional_headers=headers,
                ssl=endpoint.ssl if is_tls else None, open_timeout=OPEN_TIMEOUT, ping_interval=None,
            )
        except Exception as error:  # every way a handshake fails ends here, as one line
            raise ConnectError(describe_connect_error(endpoint.url, error)) from None
        if ws.subprotocol is None:
            await ws.close()
            raise ConnectError(f"the CSMS at {endpoint.url} does not speak ocpp{endpoint.version}")
        self._ws = ws
        self.link = STATION_CLASSES[endpoint.version](self.cs_id, ws, model=self.model, response_timeout=CALL_TIMEOUT)
        self._closed.clear()
        asyncio.create_task(self._read(self.link))

    async def _read(self, link: Station16 | Station201) -> None:
        try:
            await link.start()
        except Exception:  # a closed connection (or a frame the package cannot read): the link is gone
            pass
        finally:
            if link is self.link:
                self.online.clear()
                self._closed.set()

    async def boot(self) -> None:
        """BootNotification until Accepted (Pending and Rejected wait the interval the CSMS gives), then online."""
        while True:
            answer = await self._send("BootNotification", self.dialect.boot(self._boot_reason))
            if answer["status"] == "Accepted":
                break
            await asyncio.sleep(min(max(answer.get("interval", 10), 1), MAX_BACKOFF))
        self._needs_boot, self._boot_reason = False, "PowerUp"
        self.boots += 1
        self.online.set()
        async with self._booted:
            self._booted.notify_all()
        await self.after_boot()

    async def after_boot(self) -> None:
        """What the station says once booted (its connectors' status)."""

    async def start(self) -> None:
        """Connect (unless already connected) and boot; from then on a lost connection is made again until `stop`."""
        if self.link is None:
            await self.connect()
        await self.boot()
        self._supervisor = asyncio.create_task(self._supervise())

    async def _supervise(self) -> None:
        delay = RECONNECT_JITTER
        while not self._stopping:
            await self._closed.wait()
            if self._stopping:
                return
            await asyncio.sleep(random.uniform(0, delay))
            try:
                await self.connect()
                if self._needs_boot:
                    await self.boot()
                else:
                    self.online.set()
                delay = RECONNECT_JITTER
            except (ConnectError, CallFailed, ConnectionLost):
                self._closed.set()
                delay = min(delay * 2 + 1, MAX_BACKOFF)

    async def wait_booted(self, after: int) -> None:
        """Until the station has booted more than `after` times in all."""
        async with self._booted:
            await self._booted.wait_for(lambda: self.boots > after)

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL once online; a connection lost meanwhile is waited out and the CALL sent again."""
        for _ in range(3):
            try:
                await asyncio.wait_for(self.online.wait(), OFFLINE_WAIT)
            except TimeoutError:
                raise CallFailed(f"{action}: the station was offline for {OFFLINE_WAIT} s") from None
            try:
                return await self._send(action, payload)
            except ConnectionLost:
                continue
        raise CallFailed(f"{action}: the connection kept closing")

    async def _send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        link = self.link
        if link is None:
            raise ConnectionLost("not connected")
        started = time.perf_counter()
        try:
            answer = await link.send(action, payload)
        except OCPPError as error:
            self.metrics.record_call(action, time.perf_counter() - started, True)
            raise CallFailed(f"{action}: CALLERROR {error.code} {error.description}".rstrip()) from None
        except TimeoutError:
            self.metrics.record_call(action, time.perf_counter() - started, True)
            raise CallFailed(f"{action}: no answer within {CALL_TIMEOUT} s") from None
        except websockets.ConnectionClosed:
            raise ConnectionLost(f"connection closed while sending {action}") from None
        self.metrics.record_call(action, time.perf_counter() - started, False)
        return answer

    async def drop(self, power_loss: bool) -> None:
        """Lose the connection without a close frame (a cable pulled, power gone); the station comes back by itself,
        booting again after a power loss."""
        self._needs_boot = self._needs_boot or power_loss
        if self._ws is not None:
            self._ws.transport.abort()

    def boot_on_reconnect(self) -> None:
        """The next connection starts with a BootNotification."""
        self._needs_boot = True

    async def restart_connection(self, reason: str) -> None:
        """Close the connection cleanly and come back with a new BootNotification (`reason`)."""
        self._needs_boot, self._boot_reason = True, reason
        if self._ws is not None:
            await self._ws.close()

    async def close(self) -> None:
        """Close for good."""
        self._stopping = True
        self._closed.set()
        if self._supervisor is not None:
            self._supervisor.cancel()
        if self._ws is not None:
            await self._ws.close()


def describe_connect_error(url: str, error: Exception) -> str:
    """One line for a failed handshake."""
    if isinstance(error, websockets.InvalidStatus):
        status = error.response.status_code
        return REFUSALS.get(status, f"handshake refused with HTTP {status}")
    if isinstance(error, websockets.InvalidURI):
        return f"not a WebSocket URL: {url} (ws://HOST:PORT/ws or wss://...)"
    if isinstance(error, ssl.SSLError):
        return f"TLS handshake with {url} failed: {error.reason or error}"
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        return f"no handshake with {url} within {OPEN_TIMEOUT} s"
    if isinstance(error, OSError):
        return f"cannot connect to {url}: {error.strerror or error}"
    return f"handshake with {url} failed: {error}"
