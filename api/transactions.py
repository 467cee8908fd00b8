"""Transactions: list (optionally of one station) and one with its meter values."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from schemas.common import StatusSchema
from schemas.transactions import (
    TransactionDetailSchema,
    TransactionListArgsSchema,
    TransactionLookupArgsSchema,
    TransactionSchema,
)
from storage import transactions

blp = Blueprint("transactions", __name__, description="Transactions")


@blp.route("/transactions")
class Transactions(MethodView):
    @blp.arguments(TransactionListArgsSchema, location="query")
    @blp.response(200, TransactionSchema(many=True))
    @blp.doc(operationId="listTransactions", summary="Transactions, newest first")
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return transactions.list_transactions(storage.current(), query.get("cs_id"), query["offset"], query["limit"])


@blp.route("/transactions/<transaction_id>")
class Transaction(MethodView):
    @blp.arguments(TransactionLookupArgsSchema, location="query")
    @blp.response(200, TransactionDetailSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="getTransaction", summary="One transaction with its meter values")
    def get(self, query: dict[str, Any], transaction_id: str) -> dict[str, Any]:
        return transactions.get_transaction(storage.current(), transaction_id, query.get("cs_id")) or abort(
            404, message=f"no transaction {transaction_id!r}"
        )
