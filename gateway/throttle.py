"""Failed handshakes counted per key (an address, a station id); past the limit, a key is throttled for a cool-down."""
from __future__ import annotations

import math
import time
from collections import deque

MAX_KEYS = 100_000  # bound the memory an address-spraying attacker can make us hold


class Throttle:
    """`limit` failures within `window` seconds throttle a key until the oldest of them leaves the window.

    So a key is throttled for at most `window` seconds after its last failure. What a throttled key means, and
    which keys a refusal counts against, is the caller's (gateway.handshake.Handshake); a refusal it does not
    count neither extends nor renews the cool-down.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = max(limit, 1)
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until every key may try again, or None when none is throttled."""
        now = time.monotonic()
        waits = [self._wait(key, now) for key in keys]
        longest = max((wait for wait in waits if wait is not None), default=None)
        return None if longest is None else max(1, math.ceil(longest))

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        if len(self._failures) > MAX_KEYS:
            self._prune(now)
            while len(self._failures) > MAX_KEYS:  # still full of live keys: forget the oldest
                del self._failures[next(iter(self._failures))]
        for key in keys:
            failures = self._failures.setdefault(key, deque(maxlen=self.limit))
            failures.append(now)

    def _wait(self, key: str, now: float) -> float | None:
        failures = self._failures.get(key)
        if not failures:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        if len(failures) < self.limit:
            return None
        return failures[0] + self.window - now

    def _prune(self, now: float) -> None:
        for key in [key for key, failures in self._failures.items() if failures[-1] <= now - self.window]:
            del self._failures[key]
