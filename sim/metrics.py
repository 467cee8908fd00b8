"""What a simulation counts: messages by action, CALLERRORs, round-trip latencies, sessions and stations' outcomes."""
from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SAMPLES_PER_ACTION = 50_000  # a uniform sample of each action's round trips beyond this
MAX_PROBLEMS = 100


def percentile(samples: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of `samples` (None when there are none)."""
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Metrics:
    """Shared by every station of one run (one event loop: no locks)."""

    sent: Counter[str] = field(default_factory=Counter)
    received: Counter[str] = field(default_factory=Counter)
    call_errors: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    sessions: int = 0
    completed: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # station id -> why it did not complete
    problems: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def record_call(self, action: str, seconds: float, is_error: bool) -> None:
        """One CALL the station sent and its answer (a CALLERROR when `is_error`)."""
        self.sent[action] += 1
        if is_error:
            self.call_errors[action] += 1
        samples = self.latencies.setdefault(action, [])
        if len(samples) < SAMPLES_PER_ACTION:
            samples.append(seconds * 1000)
        else:
            slot = random.randrange(self.sent[action])
            if slot < SAMPLES_PER_ACTION:
                samples[slot] = seconds * 1000

    def record_received(self, action: str) -> None:
        """One CALL the CSMS sent."""
        self.received[action] += 1

    def fail(self, cs_id: str, reason: str) -> None:
        self.failures[cs_id] = reason

    def note(self, cs_id: str, problem: str) -> None:
        """A problem that did not end the station's scenario (what a CSMS call made it do failed)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{cs_id}: {problem}")

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def by_action(self) -> dict[str, dict[str, Any]]:
        """action -> sent, received, callErrors, p50Ms, p99Ms."""
        actions = sorted(set(self.sent) | set(self.received))
        return {
            action: {
                "sent": self.sent[action],
                "received": self.received[action],
                "callErrors": self.call_errors[action],
                "p50Ms": _rounded(percentile(self.latencies.get(action, []), 0.5)),
                "p99Ms": _rounded(percentile(self.latencies.get(action, []), 0.99)),
            }
            for action in actions
        }

    def summary(self, stations: int) -> dict[str, Any]:
        """The run as one JSON object: stations, sessions, messages, errors."""
        every = [sample for samples in self.latencies.values() for sample in samples]
        seconds = self.elapsed()
        return {
            "stations": {"total": stations, "completed": self.completed, "failed": len(self.failures)},
            "sessions": self.sessions,
            "messages": {
                "sent": sum(self.sent.values()),
                "received": sum(self.received.values()),
                "callErrors": sum(self.call_errors.values()),
                "perSecond": round(sum(self.sent.values()) / seconds, 1) if seconds else 0.0,
                "p50Ms": _rounded(percentile(every, 0.5)),
                "p99Ms": _rounded(percentile(every, 0.99)),
                "seconds": round(seconds, 2),
                "byAction": self.by_action(),
            },
            "errors": [f"{cs_id}: {reason}" for cs_id, reason in sorted(self.failures.items())] + self.problems,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
