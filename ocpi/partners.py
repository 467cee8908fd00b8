"""Our partners' endpoints as their handshake listed them, and who receives which pushes."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from config import Config
from storage import ocpi_pushes, parties


def endpoint_url(party: dict[str, Any], module: str, role: str) -> str | None:
    """The URL of the party's `module` interface in `role` (RECEIVER: pushes go there; SENDER: we ask it), or None."""
    for endpoint in party.get("endpoints") or []:
        if endpoint.get("identifier") == module and endpoint.get("role", role) == role:
            return endpoint.get("url")
    return None


def receivers(db: sqlite_utils.Database, module: str) -> list[dict[str, Any]]:
    """Connected parties that receive `module` pushes (for locations: every eMSP we are connected with)."""
    return [
        party for party in parties.all_parties(db)
        if parties.is_connected(party) and endpoint_url(party, module, "RECEIVER")
    ]  # fmt: skip


def object_path(config: Config, *ids: str) -> str:
    """The path below a receiver module of one of our objects: /{our country}/{our party}/{ids...}."""
    return "/" + "/".join((config.ocpi_country_code, config.ocpi_party_id, *ids))


def push(db: sqlite_utils.Database, party: dict[str, Any], module: str, method: str, path: str, body: Any) -> None:
    """Queue a request to the party's `module` receiver, inside a write job (nothing when it has none)."""
    if endpoint_url(party, module, "RECEIVER"):
        ocpi_pushes.queue_push(db, party["id"], module, method, path, body)
