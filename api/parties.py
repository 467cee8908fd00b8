"""OCPI party registration."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from schemas.parties import RegistrationSchema
from storage import parties

blp = Blueprint("parties", __name__, description="OCPI parties")


@blp.route("/register")
class Register(MethodView):
    @blp.arguments(RegistrationSchema)
    @blp.response(201)
    @blp.doc(operationId="registerParty", summary="Registers an OCPI party with the CSMS")
    def post(self, registration: dict[str, Any]) -> Response:
        party_id = parties.add_party(
            storage.current(), registration["token"], registration.get("url"), registration["status"]
        )
        if party_id is None:
            abort(400, message="body.token: already registered")
        return empty(201)
