"""What a station reported: its device model variables and its events (security events, notifications)."""
from __future__ import annotations

from flask.views import MethodView

import storage
from api.errors import Blueprint
from api.stations import require_station
from schemas.common import StatusSchema
from schemas.station_reports import StationEventSchema, StationReportListArgsSchema, VariableSchema
from storage import device_model, security_events

blp = Blueprint("station_reports", __name__, description="What charge stations reported")


@blp.route("/cs/<cs_id>/variables")
class StationVariables(MethodView):
    @blp.arguments(StationReportListArgsSchema, location="query")
    @blp.response(200, VariableSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="listChargeStationVariables", summary="The device model the station reported (OCPP 2.0.1)")
    def get(self, page: dict, cs_id: str) -> list[dict]:
        require_station(cs_id)
        return device_model.list_variables(storage.current(), cs_id, page["offset"], page["limit"])


@blp.route("/cs/<cs_id>/events")
class StationEvents(MethodView):
    @blp.arguments(StationReportListArgsSchema, location="query")
    @blp.response(200, StationEventSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="listChargeStationEvents", summary="Security events and notifications, newest first")
    def get(self, page: dict, cs_id: str) -> list[dict]:
        require_station(cs_id)
        return security_events.list_events(storage.current(), cs_id, page["offset"], page["limit"])
