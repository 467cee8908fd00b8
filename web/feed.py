"""The live feed's fan-out: browsers subscribe (the station list, or one station's page) and get Server-Sent Events.

Nothing here blocks a publisher: each browser has a bounded queue (a slow one loses its oldest events) and its own
greenlet, the one serving its request, which is all an idle browser holds.
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Iterator

import orjson

MAX_QUEUED = 256  # events waiting for one browser; older ones are dropped
KEEP_ALIVE_SECONDS = 15.0  # a comment line this often: a browser that went away is noticed at the next write
RETRY_MILLISECONDS = 2000  # how soon a browser reconnects after the stream broke


class Subscriber:
    """One browser's stream: `station` is the station whose page it shows, or None for the station list."""

    __slots__ = ("station", "events", "wake")

    def __init__(self, station: str | None) -> None:
        self.station = station
        self.events: deque[bytes] = deque(maxlen=MAX_QUEUED)
        self.wake = threading.Event()

    def push(self, event: bytes) -> None:
        self.events.append(event)
        self.wake.set()


def sse_event(name: str, data: object) -> bytes:
    """One Server-Sent Event: `data` as JSON on one line (JSON text holds no raw newline)."""
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


class Feed:
    """The subscribers: `listeners` watch the station list, `watchers[cs_id]` a station's page."""

    def __init__(self) -> None:
        self.listeners: set[Subscriber] = set()
        self.watchers: dict[str, set[Subscriber]] = {}
        self.closed = False

    def subscribe(self, station: str | None) -> Subscriber:
        subscriber = Subscriber(station)
        if station is None:
            self.listeners.add(subscriber)
        else:
            self.watchers.setdefault(station, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber.station is None:
            self.listeners.discard(subscriber)
            return
        watching = self.watchers.get(subscriber.station)
        if watching is not None:
            watching.discard(subscriber)
            if not watching:
                del self.watchers[subscriber.station]

    def to_listeners(self, event: bytes) -> None:
        for subscriber in list(self.listeners):
            subscriber.push(event)

    def to_watchers(self, cs_id: str, event: bytes) -> None:
        for subscriber in list(self.watchers.get(cs_id, ())):
            subscriber.push(event)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        self.closed = True
        for subscriber in [*self.listeners, *(s for group in self.watchers.values() for s in group)]:
            subscriber.wake.set()

    def stream(self, subscriber: Subscriber) -> Iterator[bytes]:
        """The response body of one SSE request: whatever is queued, written in one go each time it wakes."""
        try:
            yield f"retry: {RETRY_MILLISECONDS}\n\n".encode()
            while not self.closed:
                if not subscriber.wake.wait(KEEP_ALIVE_SECONDS):
                    yield b": keep-alive\n\n"
                    continue
                subscriber.wake.clear()
                events = subscriber.events
                chunk = b"".join(events.popleft() for _ in range(len(events)))
                if chunk:
                    yield chunk
        finally:
            self.unsubscribe(subscriber)
