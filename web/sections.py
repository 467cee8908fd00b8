"""The parts of a station's page that change while it is shown, read the same way for the page and the live feed."""
from __future__ import annotations

from typing import Any

from storage import Store, commands, connectors, stations, transactions

COMMANDS_SHOWN = 20
TRANSACTIONS_SHOWN = 10


def station_sections(store: Store, cs_id: str) -> dict[str, dict[str, Any]] | None:
    """section name -> the arguments of its macro (`<name>_section` in parts.html); None for an unknown station."""
    station = stations.get_station(store, cs_id)
    if station is None:
        return None
    return {
        "facts": {"station": station},
        "connectors": {"connectors": connectors.list_connectors(store, cs_id)},
        "commands": {"commands": commands.list_commands(store, cs_id, 0, COMMANDS_SHOWN)},
        "transactions": {
            "transactions": transactions.search_transactions(store, {"cs_id": cs_id}, 0, TRANSACTIONS_SHOWN)
        },
    }
