"""The outbox's view of a station connection, and the hooks that tell the outbox when a station can take commands."""
from __future__ import annotations

from typing import Any

from gateway.connection import CallOutcome, Connection, ConnectionClosed
from gateway.registry import Hooks
from outbox.delivery import Reply
from outbox.service import Outbox
from storage import Store, station_settings, stations


def reply_of(outcome: CallOutcome) -> Reply:
    """A gateway CallOutcome as the outbox's Reply."""
    if outcome.timed_out:
        return Reply("closed" if outcome.disconnected else "timeout", outcome.message_id)
    if outcome.is_error:
        error = {"code": outcome.error_code, "description": outcome.error_description, "details": outcome.error_details or {}}
        return Reply("error", outcome.message_id, error=error)
    return Reply("result", outcome.message_id, payload=outcome.payload)


class ConnectionLink:
    """Sends the outbox's calls over one Connection; equal to any other link of the same connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ocpp_version = connection.ocpp_version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConnectionLink) and other.connection is self.connection

    def __hash__(self) -> int:
        return id(self.connection)

    def send_call(self, action: str, payload: dict[str, Any], timeout: float, message_id: str) -> Reply:
        try:
            return reply_of(self.connection.call(action, payload, timeout, message_id))
        except ConnectionClosed:
            return Reply("closed", message_id)


def attach(outbox: Outbox, hooks: Hooks, store: Store) -> None:
    """Subscribe the outbox to the gateway's connection events."""

    def connected(connection: Connection) -> None:
        # Reconnecting without a new BootNotification is normal: a station whose last boot we accepted is ready.
        station = stations.get_station(store, connection.cs_id)
        if station is not None and station.get("boot_status") == "Accepted" and connection.is_current:
            outbox.station_ready(connection.cs_id, ConnectionLink(connection))

    def boot_accepted(connection: Connection) -> None:
        station_settings.settings_after_reboot(store, connection.cs_id)
        if connection.is_current:
            outbox.station_ready(connection.cs_id, ConnectionLink(connection))

    def boot_pending(connection: Connection) -> None:
        # Pending: only provisioning commands go; once they are done, the station's next boot is accepted.
        if connection.is_current:
            outbox.station_ready(connection.cs_id, ConnectionLink(connection), provisioning_only=True)

    def disconnected(connection: Connection) -> None:
        outbox.station_gone(connection.cs_id, ConnectionLink(connection))

    def late_outcome(connection: Connection, outcome: CallOutcome) -> None:
        outbox.late_reply(connection.cs_id, ConnectionLink(connection), reply_of(outcome))

    hooks.connected.append(connected)
    hooks.boot_accepted.append(boot_accepted)
    hooks.boot_pending.append(boot_pending)
    hooks.disconnected.append(disconnected)
    hooks.late_outcome.append(late_outcome)
