"""Hypothesis-generated OCPP-J frames for each version against a live server (tests/reliability/frame_fuzz.py):
valid-but-odd payloads answered, everything else the right CALLERROR or nothing, the server up, no traceback."""
from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.reliability.frame_fuzz import open_station, run_cases, server_is_healthy

EXAMPLES = 250


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer.start(tmp_path_factory.mktemp("fuzz"), {"CSMS_AUTH_FAILURE_LIMIT": "100000"})
    for cs_id in ("FUZZ-1.6", "FUZZ-2.0.1", "FUZZ-2.1", "FUZZ-CHECK"):
        live.register(cs_id)
    yield live
    live.stop()


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_fuzzed_frames_get_the_answers_the_spec_asks_for(server, version):
    with open_station(server, f"FUZZ-{version}", version) as ws:
        assert run_cases(ws, version, EXAMPLES) == EXAMPLES
    server_is_healthy(server, version)
