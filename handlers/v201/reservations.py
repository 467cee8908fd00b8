"""OCPP 2.0.1 ReservationStatusUpdate: the station ended a reservation (expired or removed), kept in its log too."""
from __future__ import annotations

from handlers.notifications import record_message
from handlers.routing import CallContext
from handlers.v201 import routes
from protocol.reservations import is_int32
from storage import reservations

# 2.1 adds NoTransaction (the reservation ended without one starting): for us it is gone, as Removed.
ENDED_AS = {"Expired": "expired", "Removed": "removed", "NoTransaction": "removed"}


@routes.on("ReservationStatusUpdate")
def reservation_status_update(ctx: CallContext, payload: dict) -> dict:
    record_message(ctx, payload)
    reservation_id = payload["reservationId"]
    ended = is_int32(reservation_id) and reservations.end_by_station(
        ctx.store, ctx.cs_id, reservation_id, ENDED_AS.get(payload["reservationUpdateStatus"], "removed")
    )
    if not ended:  # still answered: a CALLERROR would leave the station retrying
        ctx.log.warning("ReservationStatusUpdate %s: reservation %s is no open reservation of this station",
                        ctx.message_id, reservation_id)
    return {}
