"""OCPP 1.6 StartTransaction, StopTransaction and MeterValues, with ownership checks on every transaction id."""
from __future__ import annotations

from handlers.authorization import id_tag_info
from handlers.meter_values import meter_value_rows
from handlers.routing import CallContext
from handlers.v16 import routes
from handlers.v16.status import evse_and_connector
from storage import station_runtime, transactions_v16


@routes.on("StartTransaction")
def start_transaction(ctx: CallContext, payload: dict) -> dict:
    connector_id = payload["connectorId"]
    info = id_tag_info(
        ctx.store, payload["idTag"], ctx.cs_id, connector_id, check_concurrent=ctx.config.concurrent_tx_check
    )
    # A refused token still gets a transaction of its own: the station may already be charging (offline start).
    started = transactions_v16.start_transaction(
        ctx.store,
        ctx.cs_id,
        connector_id,
        payload["idTag"],
        payload["meterStart"],
        payload["timestamp"],
        info["status"],
        payload.get("reservationId"),
    )
    if started.reservation_used is False:  # answered all the same: the station has started charging
        ctx.log.warning("StartTransaction %s: reservation %s is no open reservation of this station",
                        ctx.message_id, payload["reservationId"])
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    ctx.log.info("StartTransaction %s: transaction %s, %s", ctx.message_id, started.transaction_id, info["status"])
    return {"transactionId": int(started.transaction_id), "idTagInfo": info}


@routes.on("StopTransaction")
def stop_transaction(ctx: CallContext, payload: dict) -> dict:
    transaction_id = str(payload["transactionId"])
    transaction_data = payload.get("transactionData") or []
    outcome = transactions_v16.stop_transaction(
        ctx.store,
        ctx.cs_id,
        transaction_id,
        payload["meterStop"],
        payload["timestamp"],
        payload.get("reason", "Local"),
        payload.get("idTag"),
        transaction_data,
        meter_value_rows(transaction_data),
    )
    if outcome != "stopped":
        # Still answered: a CALLERROR would leave the station retrying; another station's id is never touched.
        ctx.log.warning("StopTransaction %s: transaction %s is %s here", ctx.message_id, transaction_id, outcome)
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    if "idTag" in payload:
        return {"idTagInfo": id_tag_info(ctx.store, payload["idTag"])}
    return {}


@routes.on("MeterValues")
def meter_values(ctx: CallContext, payload: dict) -> dict:
    evse_id, connector_id = evse_and_connector(payload["connectorId"])
    transaction_id = payload.get("transactionId")
    linked = transactions_v16.add_meter_values(
        ctx.store,
        ctx.cs_id,
        None if transaction_id is None else str(transaction_id),
        evse_id,
        connector_id,
        meter_value_rows(payload["meterValue"]),
    )
    if transaction_id is not None and not linked:
        ctx.log.warning("MeterValues %s: transaction %s is not this station's", ctx.message_id, transaction_id)
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {}
