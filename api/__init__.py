"""Management API blueprints, one module per resource; BLUEPRINTS is what create_app registers."""
from __future__ import annotations

from api.errors import Blueprint

BLUEPRINTS: list[Blueprint] = []
