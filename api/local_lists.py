"""A station's local authorisation list as far as we know it."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

import storage
from api.errors import Blueprint
from api.stations import require_station
from schemas.common import StatusSchema
from schemas.local_lists import LocalListSchema
from storage import local_lists

blp = Blueprint("local_lists", __name__, description="Local authorization lists of charge stations")


@blp.route("/cs/<cs_id>/local-list")
class LocalList(MethodView):
    @blp.response(200, LocalListSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="getChargeStationLocalList", summary="The local authorization list the station holds")
    def get(self, cs_id: str) -> dict[str, Any]:
        require_station(cs_id)
        return local_lists.get_local_list(storage.current(), cs_id)
