"""A station's CALL budget: a token bucket that lets any station send bursts and a steady rate well above what OCPP
traffic needs (at least 1,000 CALLs a second, interface.md), and stops one that floods the CSMS."""
from __future__ import annotations

import time


class CallBudget:
    """`rate` CALLs a second, in bursts of up to `rate`. Over it, CALLs are refused; a station that keeps going past
    `rate` more refusals is to be closed."""

    __slots__ = ("rate", "tokens", "last", "refused")

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.last = time.monotonic()
        self.refused = 0  # refusals since the station last had its budget

    def take(self) -> bool:
        """Spend one CALL; False when the station is over its budget."""
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.refused = 0
            return True
        self.refused += 1
        return False

    @property
    def exhausted(self) -> bool:
        """Whether the station ignored so many refusals in a row that it should be closed."""
        return self.refused > self.rate
