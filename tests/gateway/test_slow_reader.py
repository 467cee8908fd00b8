"""A station that reads slowly but steadily keeps its connection: the send timeout is per send, not a lifetime budget."""
from __future__ import annotations

import time

import gevent
import pytest

from gateway import websocket
from tests.gateway.websocket_pair import gevent_pair

SEND_TIMEOUT = 0.4
MESSAGES = 12
MESSAGE_CHARS = 32 * 1024


@pytest.fixture
def short_send_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(websocket, "SEND_TIMEOUT", SEND_TIMEOUT)
    return SEND_TIMEOUT


def test_a_slow_steady_reader_is_not_dropped(short_send_timeout):
    ws, station = gevent_pair(deflate=False)
    texts = [f'[2,"{index}","DataTransfer",{{"data":"{"y" * MESSAGE_CHARS}"}}]' for index in range(MESSAGES)]

    def read_steadily() -> None:
        # 400 KiB/s: one message leaves in ~80 ms, far within the timeout; all of them take ~1 s.
        while station.read(4096):
            gevent.sleep(0.01)

    reader = gevent.spawn(read_steadily)
    waits = []
    for text in texts:
        started = time.monotonic()
        ws.send(text)  # raised WebSocketClosed("send timed out") once the waits added up to SEND_TIMEOUT
        waits.append(time.monotonic() - started)
    with gevent.Timeout(10):
        while len(station.messages) < MESSAGES:
            gevent.sleep(0.01)
    reader.kill()
    assert station.messages == texts
    assert max(waits) < short_send_timeout < sum(waits)  # each send is short; together they outlast one timeout
