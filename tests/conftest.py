"""Shared fixtures: a temp SQLite file, the Flask test client, a live server process and real station clients."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from storage import Store  # noqa: E402

STATION_PASSWORD = "correct-horse-battery"


def password_hash(password: str) -> str:
    """The seed's base64SHA256Password of a Basic auth password."""
    return base64.b64encode(hashlib.sha256(password.encode()).digest()).decode()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "csms.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def app(db_path: Path, store: Store):
    return create_app(Config(db_path=db_path), store)


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class LiveServer:
    """A running `python app.py` and the URLs it printed."""

    process: subprocess.Popen
    output: Path
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return self.urls["api"]

    @property
    def ws_url(self) -> str:
        return self.urls["ws"]

    @classmethod
    def start(cls, tmp_path: Path, env: dict[str, str] | None = None, script: Path | None = None) -> LiveServer:
        free_ports = {f"CSMS_{name}_PORT": "0" for name in ("API", "OCPI", "WS", "WSS")}
        full_env = os.environ | free_ports | {"CSMS_DB": str(tmp_path / "live.sqlite3")} | (env or {})
        output = tmp_path / f"server-{time.monotonic_ns()}.out"
        # A file, not a pipe: an undrained pipe would block the server.
        process = subprocess.Popen(
            [sys.executable, str(script or ROOT / "app.py")],
            cwd=ROOT,
            env=full_env,
            stdout=output.open("w"),
            stderr=subprocess.STDOUT,
        )
        server = cls(process, output)
        server.wait_for_banner()
        return server

    def wait_for_banner(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output.read_text()
            if re.search(r"^ready$", text, re.M):
                for name, url in re.findall(r"^listening (\S+) (\S+)$", text, re.M):
                    self.urls[name] = url.replace("0.0.0.0", "127.0.0.1")
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{text}")
            time.sleep(0.05)
        raise TimeoutError(f"no banner:\n{self.output.read_text()}")

    def log(self) -> str:
        return self.output.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def register(self, cs_id: str, security_profile: int = 0, password: str | None = STATION_PASSWORD, **extra) -> None:
        body = {"securityProfile": security_profile, **extra}
        if password is not None:
            body["base64SHA256Password"] = password_hash(password)
        response = requests.post(f"{self.api_url}/cs/{cs_id}", json=body, timeout=10)
        assert response.status_code == 201, response.text

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.api_url}{path}", timeout=10, **kwargs)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer.start(tmp_path)
    yield server
    server.stop()


def basic_auth(cs_id: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{cs_id}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@contextlib.asynccontextmanager
async def station_client(
    ws_url: str,
    cs_id: str,
    subprotocol: str = "ocpp1.6",
    password: str | None = STATION_PASSWORD,
    charge_point_class=None,
    **connect_kwargs,
) -> AsyncIterator[object]:
    """A real `ocpp` ChargePoint of the subprotocol's version, connected over `websockets` and running."""
    import websockets

    if charge_point_class is None:
        if subprotocol == "ocpp1.6":
            from ocpp.v16 import ChargePoint as charge_point_class
        else:
            from ocpp.v201 import ChargePoint as charge_point_class
    headers = basic_auth(cs_id, password) if password is not None else {}
    async with websockets.connect(
        f"{ws_url}/{cs_id}", subprotocols=[subprotocol], additional_headers=headers, **connect_kwargs
    ) as ws:
        station = charge_point_class(cs_id, ws)
        task = asyncio.create_task(station.start())
        try:
            yield station
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes minutes (builds the single-file executable); still in `make test`")
