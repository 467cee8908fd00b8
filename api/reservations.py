"""A station's reservations: what was reserved for which token until when, and what became of it."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.stations import require_station
from schemas.common import StatusSchema
from schemas.reservations import ReservationListArgsSchema, ReservationSchema
from storage import reservations

blp = Blueprint("reservations", __name__, description="Reservations of charge stations")


@blp.route("/cs/<cs_id>/reservations")
class Reservations(MethodView):
    @blp.arguments(ReservationListArgsSchema, location="query")
    @blp.response(200, ReservationSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="listChargeStationReservations", summary="The station's reservations, newest first")
    def get(self, page: dict[str, int], cs_id: str) -> list[dict[str, Any]]:
        require_station(cs_id)
        return reservations.list_reservations(storage.current(), cs_id, page["offset"], page["limit"])


# Reservation ids are 32-bit integers ≥ 0 (protocol.reservations.reservation_of).
@blp.route("/cs/<cs_id>/reservations/<int(max=2147483647):reservation_id>")
class Reservation(MethodView):
    @blp.response(200, ReservationSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station or reservation")
    @blp.doc(operationId="getChargeStationReservation", summary="One reservation, by its OCPP reservation id")
    def get(self, cs_id: str, reservation_id: int) -> dict[str, Any]:
        require_station(cs_id)
        return reservations.get_reservation(storage.current(), cs_id, reservation_id) or abort(
            404, message=f"no reservation {reservation_id} for charge station {cs_id!r}"
        )
