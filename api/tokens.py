"""Authorization tokens: create/update, list, look up, delete."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from schemas.common import StatusSchema
from schemas.tokens import TokenListArgsSchema, TokenSchema
from storage import tokens

blp = Blueprint("tokens", __name__, description="Authorization tokens")


@blp.route("/token")
class Tokens(MethodView):
    @blp.arguments(TokenSchema)
    @blp.response(201)
    @blp.doc(operationId="setToken", summary="Create/update an authorization token")
    def post(self, token: dict[str, Any]) -> Response:
        tokens.save_token(storage.current(), token)
        return empty(201)

    @blp.arguments(TokenListArgsSchema, location="query")
    @blp.response(200, TokenSchema(many=True), description="List of tokens")
    @blp.doc(operationId="listTokens", summary="List authorization tokens")
    def get(self, page: dict[str, int]) -> list[dict[str, Any]]:
        return tokens.list_tokens(storage.current(), page["offset"], page["limit"])


@blp.route("/token/<token_uid>")
class TokenByUid(MethodView):
    @blp.response(200, TokenSchema, description="Authorization token details")
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="lookupToken", summary="Lookup an authorization token")
    def get(self, token_uid: str) -> dict[str, Any]:
        return tokens.get_token(storage.current(), token_uid) or abort(404, message=f"no token {token_uid!r}")

    @blp.response(204)
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="deleteToken", summary="Delete an authorization token")
    def delete(self, token_uid: str) -> Response:
        if not tokens.delete_token(storage.current(), token_uid):
            abort(404, message=f"no token {token_uid!r}")
        return empty(204)
