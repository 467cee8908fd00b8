"""Our answers to station CALLs, one Routes registry per OCPP version."""
from __future__ import annotations

from handlers.routing import Routes
from handlers.v16 import routes as v16_routes
from handlers.v201 import routes as v201_routes
from handlers.v21 import routes as v21_routes

ROUTES: dict[str, Routes] = {"1.6": v16_routes, "2.0.1": v201_routes, "2.1": v21_routes}
