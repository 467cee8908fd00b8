"""Locations registered with the CSMS (pushed to OCPI parties by later work)."""
from __future__ import annotations

import re
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from schemas.locations import LocationSchema
from storage import locations

blp = Blueprint("locations", __name__, description="Locations")

_LOCATION_ID = re.compile(r".{1,36}")


@blp.route("/location/<location_id>")
class Location(MethodView):
    @blp.arguments(LocationSchema)
    @blp.response(201)
    @blp.doc(operationId="registerLocation", summary="Registers a location with the CSMS")
    def post(self, location: dict[str, Any], location_id: str) -> Response:
        if not _LOCATION_ID.fullmatch(location_id):
            abort(400, message="path.locationId: 1-36 characters")
        # Until a station reports, OCPI says the EVSE's status is UNKNOWN.
        evses = [{**evse, "status": "UNKNOWN"} for evse in location.get("evses") or []]
        locations.save_location(storage.current(), location_id, {**location, "evses": evses})
        return empty(201)
