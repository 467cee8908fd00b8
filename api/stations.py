"""Charge stations: register (upsert auth), auth lookup, detail, list, delete."""
from __future__ import annotations

import logging
import re

from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from schemas.common import StatusSchema
from schemas.stations import ChargeStationAuthSchema, ChargeStationListArgsSchema, ChargeStationSchema
from storage import stations

log = logging.getLogger(__name__)

blp = Blueprint("stations", __name__, description="Charge stations")

# What the gateway can route (gateway.handshake.station_id): no ':', no '/', no control character.
_CS_ID = re.compile(r"[^:/\x00-\x1f\x7f]{1,48}")


def require_station(cs_id: str) -> dict:
    """The station row, or 404."""
    return stations.get_station(storage.current(), cs_id) or abort(404, message=f"unknown charge station {cs_id!r}")


def register_station(cs_id: str, auth: dict) -> None:
    """Create the station or replace its auth fields (400 for an id the gateway cannot route)."""
    if not _CS_ID.fullmatch(cs_id):
        abort(400, message="path.csId: 1-48 characters without ':', '/' or control characters")
    before = stations.save_station_auth(storage.current(), cs_id, auth)
    if before is not None and auth["security_profile"] < before["security_profile"]:
        log.warning(
            "[%s] security profile lowered from %s to %s", cs_id, before["security_profile"], auth["security_profile"]
        )


@blp.route("/cs")
class Stations(MethodView):
    @blp.arguments(ChargeStationListArgsSchema, location="query")
    @blp.response(200, ChargeStationSchema(many=True))
    @blp.doc(operationId="listChargeStations", summary="List charge stations")
    def get(self, page: dict) -> list[dict]:
        return stations.list_stations(storage.current(), page["offset"], page["limit"])


@blp.route("/cs/<cs_id>")
class Station(MethodView):
    @blp.arguments(ChargeStationAuthSchema)
    @blp.response(201)
    @blp.doc(operationId="registerChargeStation", summary="Register a new charge station")
    def post(self, auth: dict, cs_id: str) -> Response:
        register_station(cs_id, auth)
        return empty(201)

    @blp.response(200, ChargeStationSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="getChargeStation", summary="Charge station details")
    def get(self, cs_id: str) -> dict:
        return stations.get_station_detail(storage.current(), cs_id) or abort(
            404, message=f"unknown charge station {cs_id!r}"
        )

    @blp.response(204)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="deleteChargeStation", summary="Delete a charge station")
    def delete(self, cs_id: str) -> Response:
        if not stations.delete_station(storage.current(), cs_id):
            abort(404, message=f"unknown charge station {cs_id!r}")
        return empty(204)


@blp.route("/cs/<cs_id>/auth")
class StationAuth(MethodView):
    @blp.response(200, ChargeStationAuthSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="lookupChargeStationAuth", summary="Returns the authentication details")
    def get(self, cs_id: str) -> dict:
        return require_station(cs_id)
