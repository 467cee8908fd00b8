"""Locations sender: Location, EVSE and Connector objects from the registered locations and live connector status,
the GET endpoints, and the PUT / PATCH pushes to every connected eMSP."""
from __future__ import annotations

from typing import Any

import sqlite_utils
from flask import Blueprint, Response

from config import Config
from ocpi.context import TARIFF_ID, current, request_version
from ocpi.envelope import UNKNOWN_LOCATION, OcpiError, ok, page_arguments, paged
from ocpi.partners import object_path, push, receivers
from storage import locations

blp = Blueprint("locations", __name__, url_prefix="/locations")

# What an EVSE that names a station can do through us.
STATION_CAPABILITIES = ["REMOTE_START_STOP_CAPABLE", "RESERVABLE", "UNLOCK_CAPABLE", "RFID_READER"]
# A station connector's OCPP status (1.6 or 2.0.1) as OCPI says it.
OCPI_STATUS = {
    "Available": "AVAILABLE",
    "Preparing": "CHARGING",
    "Charging": "CHARGING",
    "SuspendedEV": "CHARGING",
    "SuspendedEVSE": "CHARGING",
    "Finishing": "CHARGING",
    "Occupied": "CHARGING",
    "Reserved": "RESERVED",
    "Unavailable": "INOPERATIVE",
    "Faulted": "OUTOFORDER",
}
# An EVSE of several station connectors takes the most useful of their statuses.
_PRECEDENCE = ("AVAILABLE", "CHARGING", "RESERVED", "BLOCKED", "INOPERATIVE", "OUTOFORDER")


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    """The object without its absent optional fields."""
    return {name: value for name, value in values.items() if value is not None}


def evse_status(connected: bool, statuses: dict[int, str], connector_ids: list[int]) -> str:
    """The OCPI status of an EVSE from its station's connection and its connectors' OCPP statuses."""
    if not connected:
        return "UNKNOWN"
    found = {OCPI_STATUS.get(statuses[number], "UNKNOWN") for number in connector_ids if number in statuses}
    return next((status for status in _PRECEDENCE if status in found), "UNKNOWN")


def connector_object(connector: dict[str, Any], last_updated: str) -> dict[str, Any]:
    """A Connector as stored, with our tariff."""
    return {**without_none(connector), "tariff_ids": [TARIFF_ID], "last_updated": last_updated}


def evse_object(evse: dict[str, Any], row: dict[str, Any] | None) -> dict[str, Any]:
    """An EVSE as stored, with its status as last computed."""
    last_updated = row["updated_at"] if row else ""
    return without_none(
        {
            "uid": evse["uid"],
            "evse_id": evse.get("evse_id"),
            "status": row["status"] if row else "UNKNOWN",
            "capabilities": STATION_CAPABILITIES if row and row["cs_id"] else [],
            "connectors": [connector_object(connector, last_updated) for connector in evse["connectors"]],
            "last_updated": last_updated,
        }
    )


def location_object(config: Config, found: dict[str, Any]) -> dict[str, Any]:
    """A Location from a stored one (`locations.find_location`)."""
    body, rows = found["body"], {row["uid"]: row for row in found["evses"]}
    names = ("name", "address", "city", "postal_code", "country", "coordinates", "parking_type")
    return without_none(
        {
            "country_code": body["country_code"],
            "party_id": body["party_id"],
            "id": found["id"],
            "publish": True,
            **{name: body.get(name) for name in names},
            "evses": [evse_object(evse, rows.get(evse["uid"])) for evse in body.get("evses") or []],
            "time_zone": config.ocpi_time_zone,
            "last_updated": found["last_updated"],
        }
    )


@blp.get("")
def list_locations() -> Response:
    page = page_arguments()
    context = current()
    total, found = locations.page_locations(context.store, page.date_from, page.date_to, page.offset, page.limit)
    items = [location_object(context.config, location) for location in found]
    return paged(items, total, page, context.module_url(request_version(), "locations"))


def _location(location_id: str) -> dict[str, Any]:
    context = current()
    found = context.store.read(lambda db: locations.find_location(db, location_id))
    if found is None:
        raise OcpiError(404, UNKNOWN_LOCATION, f"unknown location {location_id[:40]!r}")
    return location_object(context.config, found)


def _evse(location: dict[str, Any], evse_uid: str) -> dict[str, Any]:
    evse = next((evse for evse in location["evses"] if evse["uid"] == evse_uid), None)
    if evse is None:
        raise OcpiError(404, UNKNOWN_LOCATION, f"location {location['id']!r} has no EVSE {evse_uid[:40]!r}")
    return evse


@blp.get("/<location_id>")
def get_location(location_id: str) -> Response:
    return ok(_location(location_id))


@blp.get("/<location_id>/<evse_uid>")
def get_evse(location_id: str, evse_uid: str) -> Response:
    return ok(_evse(_location(location_id), evse_uid))


@blp.get("/<location_id>/<evse_uid>/<connector_id>")
def get_connector(location_id: str, evse_uid: str, connector_id: str) -> Response:
    evse = _evse(_location(location_id), evse_uid)
    connector = next((connector for connector in evse["connectors"] if connector["id"] == connector_id), None)
    if connector is None:
        raise OcpiError(404, UNKNOWN_LOCATION, f"EVSE {evse_uid!r} has no connector {connector_id[:40]!r}")
    return ok(connector)


# -- pushes, inside the write jobs of the watcher and the handshake -----------------------------------------
def queue_location(db: sqlite_utils.Database, config: Config, location_id: str, to: list[dict[str, Any]]) -> None:
    """PUT the whole location to each party of `to`."""
    found = locations.find_location(db, location_id)
    if found is not None:
        body = location_object(config, found)
        for party in to:
            push(db, party, "locations", "PUT", object_path(config, location_id), body)


def queue_all_locations(db: sqlite_utils.Database, config: Config, party: dict[str, Any]) -> None:
    """PUT every location to a party that has just connected."""
    for location_id in locations.all_location_ids(db):
        queue_location(db, config, location_id, [party])


def queue_evse_status(db: sqlite_utils.Database, config: Config, row: dict[str, Any], status: str, now: str) -> None:
    """Record an EVSE's new status and PATCH it to every eMSP."""
    locations.set_evse_status(db, row["location_id"], row["uid"], status, now)
    path = object_path(config, row["location_id"], row["uid"])
    for party in receivers(db, "locations"):
        push(db, party, "locations", "PATCH", path, {"status": status, "last_updated": now})
