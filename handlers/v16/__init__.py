"""OCPP 1.6J station→CSMS handlers; each module registers its actions on `routes`."""
from __future__ import annotations

from handlers.routing import Routes

routes = Routes("1.6")

# Imported for their registrations; keep below `routes`.
from handlers.v16 import authorize, core, data_transfer, notifications, security, status, transactions  # noqa: E402,F401
