"""The API listener answers keep-alive requests at once: Nagle once held every answer for the client's delayed ACK
(44 ms a request). A loose bound: 20 requests on one connection took 0.88 s then, a few ms now."""
from __future__ import annotations

import time

import requests


def test_keep_alive_answers_are_not_held_back(live_server):
    session = requests.Session()
    session.get(f"{live_server.api_url}/cs", timeout=10)  # the connection is open
    started = time.perf_counter()
    for _ in range(20):
        assert session.get(f"{live_server.api_url}/cs", timeout=10).status_code == 200
    assert time.perf_counter() - started < 0.5
