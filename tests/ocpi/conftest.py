"""A live CSMS tuned for quick OCPI retries and session updates, test eMSPs connected to it, and located stations."""
from __future__ import annotations

import itertools
import secrets
from typing import Any, Iterator

import pytest
import requests

from tests.conftest import LiveServer
from tests.ocpi.emsp import Emsp
from tests.ocpi.ocpi_objects import COMMAND_RESPONSE, COMMAND_RESULT, check, data
from tests.ocpi.stations import off_loop

OCPI_ENV = {"CSMS_OCPI_RETRY_DELAY": "0.2", "CSMS_OCPI_RETRY_MAX": "1", "CSMS_OCPI_SESSION_INTERVAL": "1"}
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer.start(tmp_path_factory.mktemp("ocpi"), OCPI_ENV)
    yield live
    live.stop()


def versions_url(server: LiveServer) -> str:
    return server.urls["ocpi"]


def module_url(server: LiveServer, module: str, version: str = "2.2.1") -> str:
    return f"{versions_url(server).removesuffix('/versions')}/{version}/{module}"


def register(server: LiveServer, token: str, status: str = "PENDING", url: str | None = None) -> None:
    body = {"token": token, "status": status} | ({"url": url} if url else {})
    response = server.api("POST", "/register", json=body)
    assert response.status_code == 201, response.text


@pytest.fixture
def emsp(server: LiveServer) -> Iterator[Emsp]:
    """An eMSP that has run the handshake itself (token A from /register, PENDING)."""
    party = Emsp()
    token_a = f"token-a-{secrets.token_hex(8)}"
    register(server, token_a)
    answer = party.register_with(versions_url(server), token_a)
    assert answer.status_code == 200 and answer.json()["status_code"] == 1000, answer.text
    yield party
    party.stop()


def new_station(server: LiveServer, prefix: str = "cs") -> str:
    cs_id = f"{prefix}{next(_numbers)}"
    server.register(cs_id)
    return cs_id


def evse_uid(cs_id: str) -> str:
    """The EVSE uid that names a station: country, party, "E", station id."""
    return f"GBTWKE{cs_id}"


def add_location(server: LiveServer, cs_ids: list[str], location_id: str | None = None, connectors: int = 1) -> str:
    """Register a location with one EVSE per station (connectors 1..n); its id."""
    location_id = location_id or f"LOC{next(_numbers)}"
    evses = [
        {"uid": evse_uid(cs_id), "evse_id": f"GB*TWK*E{cs_id}"[:48], "connectors": [
            {"id": str(number), "standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
             "max_voltage": 230, "max_amperage": 32} for number in range(1, connectors + 1)]}
        for cs_id in cs_ids
    ]  # fmt: skip
    body = {"country_code": "GB", "party_id": "TWK", "name": "Depot", "address": "1 High Street", "city": "London",
            "postal_code": "N1 1AA", "country": "GBR", "coordinates": {"latitude": "51.53000", "longitude": "-0.12000"},
            "parking_type": "ON_STREET", "evses": evses}  # fmt: skip
    response = server.api("POST", f"/location/{location_id}", json=body)
    assert response.status_code == 201, response.text
    return location_id


def is_push(method: str, fragment: str) -> Any:
    """A predicate for received requests: this method, and `fragment` in the path."""
    return lambda item: item.method == method and fragment in item.path


def get(emsp: Emsp, url: str, **params: Any) -> requests.Response:
    return emsp.cpo("GET", url, params=params)


async def command(server: LiveServer, emsp: Emsp, name: str, body: dict[str, Any]) -> str:
    """POST a command that must be ACCEPTED at once; the response_url its CommandResult will come to."""
    response_url = emsp.response_url()
    answer = await off_loop(emsp.cpo, "POST", module_url(server, f"commands/{name}"), json=body | {"response_url": response_url})
    assert data(answer, COMMAND_RESPONSE)["result"] == "ACCEPTED", answer.text
    return response_url


async def result_of(emsp: Emsp, response_url: str) -> str:
    """The CommandResult POSTed to `response_url` (waiting for it), checked."""
    posted = await off_loop(emsp.wait_for, is_push("POST", response_url.removeprefix(emsp.base)))
    assert posted[0].authorized
    return check(COMMAND_RESULT, posted[0].body)["result"]
