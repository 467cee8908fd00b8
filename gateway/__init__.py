"""The OCPP gateway: ws/wss listeners, handshake auth, OCPP-J frames, one Connection per station.

`connections.get(cs_id)` is the station's live Connection (or None); `hooks` lists callbacks for connection
events (see gateway.registry.Hooks). Both are process-wide: the gateway fills them, the outbox uses them.
"""
from __future__ import annotations

from gateway.registry import Hooks, Registry

connections = Registry()
hooks = Hooks()
