"""OCPP 2.0.1 station→CSMS handlers; each module registers its actions on `routes`."""
from __future__ import annotations

from handlers.routing import Routes

routes = Routes("2.0.1")

# Imported for their registrations; keep below `routes`.
from handlers.v201 import core  # noqa: E402,F401
from handlers.v201 import authorize, data_transfer, notifications, reports, security, status, transactions  # noqa: E402,F401
from handlers.v201 import reservations  # noqa: E402,F401
