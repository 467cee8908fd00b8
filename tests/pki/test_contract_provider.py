"""Get15118EVCertificate: the EV's request goes to the configured contract-certificate provider; without one, or
with one that fails, the station gets Failed and nothing breaks."""
from __future__ import annotations

import json

import pytest
from ocpp.v201 import call as call201

from tests.conftest import LiveServer
from tests.stations import recording_station
from tests.pki.http_peer import HttpPeer
from tests.pki.test_station_certificates import run

REQUEST = {"iso15118_schema_version": "urn:iso:15118:2:2013:MsgDef", "action": "Install", "exi_request": "gAEC"}


class Provider(HttpPeer):
    """An external PKI that answers as told and remembers what it was asked."""

    def __init__(self, answer: bytes) -> None:
        self.asked: list[tuple[dict, str | None]] = []

        def reply(body: bytes, headers: dict[str, str]) -> bytes:
            self.asked.append((json.loads(body), headers.get("Authorization")))
            return answer

        super().__init__(reply, "/contracts")


def ask(tmp_path, env: dict[str, str]):
    server = LiveServer.start(tmp_path, env)
    try:
        server.register("EV1")

        async def scenario():
            async with recording_station(server, "EV1", "2.0.1") as station:
                return await station.call(call201.Get15118EVCertificate(**REQUEST))

        return run(scenario())
    finally:
        server.stop()


def test_the_http_provider_gets_the_request_and_its_answer_goes_to_the_station(tmp_path):
    provider = Provider(b'{"status": "Accepted", "exiResponse": "gAED"}')
    env = {"CSMS_CONTRACT_PROVIDER": "http", "CSMS_CONTRACT_PROVIDER_URL": provider.url,
           "CSMS_CONTRACT_PROVIDER_TOKEN": "s3cret"}
    answer = ask(tmp_path, env)
    assert (answer.status, answer.exi_response) == ("Accepted", "gAED")
    assert provider.asked == [({"csId": "EV1", "iso15118SchemaVersion": REQUEST["iso15118_schema_version"],
                                "action": "Install", "exiRequest": "gAEC"}, "Bearer s3cret")]
    provider.stop()


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"CSMS_CONTRACT_PROVIDER": "local"},
        {"CSMS_CONTRACT_PROVIDER": "http", "CSMS_CONTRACT_PROVIDER_URL": "http://127.0.0.1:1/contracts"},
        {"CSMS_CONTRACT_PROVIDER": "http", "CSMS_CONTRACT_PROVIDER_URL": "broken"},
    ],
    ids=["none", "local", "unreachable", "bad-url"],
)
def test_without_a_working_provider_the_station_gets_failed(tmp_path, env):
    answer = ask(tmp_path, env)
    assert (answer.status, answer.exi_response) == ("Failed", "")


def test_a_provider_answering_nonsense_gives_failed(tmp_path):
    provider = Provider(b'{"status": "Maybe"}')
    answer = ask(tmp_path, {"CSMS_CONTRACT_PROVIDER": "http", "CSMS_CONTRACT_PROVIDER_URL": provider.url})
    assert answer.status == "Failed"
    provider.stop()
