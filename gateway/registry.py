"""The live connection of each station, and the hooks other parts (the outbox) subscribe to."""
from __future__ import annotations

import logging
from typing import Any, Callable, Generic, Iterator, Protocol, TypeVar

import gevent

log = logging.getLogger(__name__)


class _Station(Protocol):
    cs_id: str


Connection = TypeVar("Connection", bound=_Station)  # gateway.connection.Connection, which imports this module


class Registry(Generic[Connection]):
    """cs_id → its one live Connection."""

    def __init__(self) -> None:
        self._by_id: dict[str, Connection] = {}

    def get(self, cs_id: str) -> Connection | None:
        """The station's live connection, or None when it is not connected."""
        return self._by_id.get(cs_id)

    def add(self, connection: Connection) -> Connection | None:
        """Make `connection` the station's live one; returns the connection it replaces, if any."""
        old = self._by_id.get(connection.cs_id)
        self._by_id[connection.cs_id] = connection
        return old

    def discard(self, connection: Connection) -> bool:
        """Forget `connection` if it is still the live one (a replaced connection is already forgotten)."""
        if self._by_id.get(connection.cs_id) is connection:
            del self._by_id[connection.cs_id]
            return True
        return False

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Connection]:
        return iter(list(self._by_id.values()))

    def __contains__(self, cs_id: object) -> bool:
        return cs_id in self._by_id


Hook = Callable[..., Any]


class Hooks:
    """Callback lists, each callback run in its own greenlet so a slow subscriber never stalls a station.

    - connected(connection): a station's connection was accepted (after any replacement).
    - boot_accepted(connection): we answered a BootNotification with Accepted on this connection.
    - boot_pending(connection): we answered it with Pending (provisioning commands wait for the station).
    - disconnected(connection): the connection ended (also when replaced; check `connection.is_current`).
    - late_outcome(connection, outcome): a CALLRESULT/CALLERROR arrived after its call() had timed out.

    `frame` is apart: its callbacks run inline, on the station's greenlet, for every frame in and out, so they must
    only take note (append to a buffer) and return: frame(cs_id, direction, message_type, message_id, action, text,
    reply). direction "in": the station sent `text` (`reply`: our answer, when it went out at once); "out": we did.
    """

    def __init__(self) -> None:
        self.connected: list[Hook] = []
        self.boot_accepted: list[Hook] = []
        self.boot_pending: list[Hook] = []
        self.disconnected: list[Hook] = []
        self.late_outcome: list[Hook] = []
        self.frame: list[Hook] = []

    def fire(self, name: str, *args: Any) -> None:
        for callback in getattr(self, name):
            gevent.spawn(_run, name, callback, args)


def _run(name: str, callback: Hook, args: tuple) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("%s hook %r failed", name, callback)
