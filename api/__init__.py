"""Management API blueprints, one module per resource; BLUEPRINTS is what create_app registers."""
from __future__ import annotations

from api import (
    certificates,
    commands,
    local_lists,
    locations,
    parties,
    pki,
    reservations,
    station_commands,
    station_reports,
    stations,
    tokens,
    transactions,
)
from api.errors import Blueprint

BLUEPRINTS: list[Blueprint] = [
    module.blp
    for module in (
        stations, commands, station_commands, station_reports, reservations, local_lists, tokens, certificates, pki,
        parties, locations, transactions,
    )
]
