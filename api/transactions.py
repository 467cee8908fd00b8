"""Transactions: list (optionally of one station), one with its first meter values, and its meter values paged."""
from __future__ import annotations

from typing import Any, NoReturn

import orjson
from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from schemas.common import StatusSchema
from schemas.transactions import (
    METER_VALUE_FIELDS,
    METER_VALUES_PER_PAGE,
    MeterValuePageArgsSchema,
    MeterValueSchema,
    TransactionDetailSchema,
    TransactionListArgsSchema,
    TransactionLookupArgsSchema,
    TransactionSchema,
)
from storage import transactions
from storage.database import JsonPage

blp = Blueprint("transactions", __name__, description="Transactions")

FIRST_PAGE = JsonPage(METER_VALUE_FIELDS, 0, METER_VALUES_PER_PAGE)
# Schema instances, not classes: webargs would build an instance per request (~90 us of the event loop each).
LIST_ARGS, LOOKUP_ARGS, PAGE_ARGS = TransactionListArgsSchema(), TransactionLookupArgsSchema(), MeterValuePageArgsSchema()
TRANSACTION = TransactionSchema()


@blp.route("/transactions")
class Transactions(MethodView):
    @blp.arguments(LIST_ARGS, location="query")
    @blp.response(200, TransactionSchema(many=True))
    @blp.doc(operationId="listTransactions", summary="Transactions, newest first")
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return transactions.list_transactions(storage.current(), query.get("cs_id"), query["offset"], query["limit"])


# The meter values arrive as JSON text built by SQLite (see storage.database.select_json_array): marshmallow would
# hold the event loop for ~13 ms per 1,000 of them. The schemas below still document the answers.
@blp.route("/transactions/<transaction_id>")
class Transaction(MethodView):
    @blp.arguments(LOOKUP_ARGS, location="query")
    @blp.response(200, TransactionDetailSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="getTransaction", summary="One transaction with the first 1,000 of its meter values")
    def get(self, query: dict[str, Any], transaction_id: str) -> Response:
        found = transactions.get_transaction(storage.current(), transaction_id, query.get("cs_id"), FIRST_PAGE)
        if found is None:
            _not_found(transaction_id)
        meter_values = orjson.Fragment(found["meter_values_json"])
        return _json(orjson.dumps({**TRANSACTION.dump(found), "meterValues": meter_values}))


@blp.route("/transactions/<transaction_id>/meterValues")
class TransactionMeterValues(MethodView):
    @blp.arguments(PAGE_ARGS, location="query")
    @blp.response(200, MeterValueSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="listTransactionMeterValues", summary="The transaction's meter values, oldest first, paged")
    def get(self, query: dict[str, Any], transaction_id: str) -> Response:
        page = JsonPage(METER_VALUE_FIELDS, query["offset"], query["limit"])
        found = transactions.get_meter_values(storage.current(), transaction_id, query.get("cs_id"), page)
        if found is None:
            _not_found(transaction_id)
        return _json(found)


def _not_found(transaction_id: str) -> NoReturn:
    abort(404, message=f"no transaction {transaction_id!r}")


def _json(body: str | bytes) -> Response:
    return Response(body, mimetype="application/json")
