"""OCPP 2.0.1 TransactionEvent: stored per (station, transactionId), answered with idTokenInfo and totalCost."""
from __future__ import annotations

from handlers.meter_values import energy_register_wh, meter_value_rows
from handlers.routing import CallContext
from handlers.v201 import routes
from handlers.v201.authorize import id_token_info
from storage import station_runtime, transactions_v201


@routes.on("TransactionEvent")
def transaction_event(ctx: CallContext, payload: dict) -> dict:
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    answer: dict = {}
    auth_status = None
    if "idToken" in payload:
        answer["idTokenInfo"] = id_token_info(ctx.store, ctx.cs_id, payload["idToken"])
        auth_status = answer["idTokenInfo"]["status"]
    rows = meter_value_rows(payload.get("meterValue", []))
    outcome = transactions_v201.record_event(
        ctx.store, ctx.cs_id, payload, rows, auth_status, energy_register_wh
    )
    if outcome.is_duplicate:
        ctx.log.info(
            "TransactionEvent %s: seqNo %s of %s already stored",
            ctx.message_id,
            payload["seqNo"],
            payload["transactionInfo"]["transactionId"],
        )
    if outcome.reservation_used is False:  # answered all the same: the station has started charging
        ctx.log.warning("TransactionEvent %s: reservation %s is no open reservation of this station",
                        ctx.message_id, payload["reservationId"])
    if payload["eventType"] == "Ended" and outcome.energy_wh is not None:
        answer["totalCost"] = total_cost(outcome.energy_wh, ctx.config.price_per_kwh)
    return answer


def total_cost(energy_wh: float, price_per_kwh: float) -> float:
    """The price of `energy_wh`, to the cent."""
    return round(energy_wh / 1000 * price_per_kwh, 2)
