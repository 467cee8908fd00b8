"""Compressed messages sent from several greenlets at once reach a slow station in the order they were compressed."""
from __future__ import annotations

import random

import gevent

from tests.gateway.websocket_pair import gevent_pair

SENDERS = 3
MESSAGES_EACH = 15


def message(sender: int, index: int, rng: random.Random) -> str:
    # Hex text repeats 3-byte runs often, so every message refers back into the ones compressed before it.
    return f'[2,"{sender}-{index}","DataTransfer",{{"data":"{rng.randbytes(3000).hex()}"}}]'


def test_concurrent_compressed_sends_all_inflate_at_the_station():
    ws, station = gevent_pair(deflate=True)
    rng = random.Random(7)
    sent = {sender: [message(sender, index, rng) for index in range(MESSAGES_EACH)] for sender in range(SENDERS)}

    def send_all(texts: list[str]) -> None:
        for text in texts:
            ws.send(text)  # back to back: the next one is compressed as soon as the last one left

    def ping() -> None:
        for _ in range(MESSAGES_EACH):
            ws.ping()
            gevent.sleep(0.002)

    def read_slowly() -> None:
        # The socket buffers hold less than one message: every send waits inside the send lock for this reader.
        while station.read(2048):
            gevent.sleep(0.0005)

    reader = gevent.spawn(read_slowly)
    senders = [gevent.spawn(send_all, texts) for texts in sent.values()] + [gevent.spawn(ping)]
    gevent.joinall(senders, timeout=30, raise_error=True)
    with gevent.Timeout(10):
        while len(station.messages) < SENDERS * MESSAGES_EACH and station.close is None:
            gevent.sleep(0.01)
    reader.kill()
    assert station.close is None, f"the station's inflater failed: {station.close}"
    expected = [text for texts in sent.values() for text in texts]
    garbled = [text[:40] for text in station.messages if text not in expected]
    assert not garbled, f"{len(garbled)} of {len(station.messages)} messages inflated to something never sent: {garbled[:3]}"
    for sender, texts in sent.items():  # and each greenlet's messages arrive in its order
        assert [text for text in station.messages if text.startswith(f'[2,"{sender}-')] == texts
