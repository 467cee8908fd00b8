"""OCPP 1.6 StartTransaction, StopTransaction and MeterValues, with ownership checks on every transaction id."""
from __future__ import annotations

from typing import Any

from handlers.authorization import id_tag_info
from handlers.meter_values import meter_value_rows
from handlers.routing import CallContext
from handlers.v16 import routes
from handlers.v16.status import evse_and_connector
from storage import station_runtime, transactions_v16


def _linked_rows(
    cs_id: str, transaction_id: str | None, connector_id: int, meter_values: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    evse_id, connector = evse_and_connector(connector_id)
    rows = meter_value_rows(meter_values)
    for row in rows:
        row.update(cs_id=cs_id, transaction_id=transaction_id, evse_id=evse_id, connector_id=connector)
    return rows


@routes.on("StartTransaction")
def start_transaction(ctx: CallContext, payload: dict) -> dict:
    connector_id = payload["connectorId"]
    info = id_tag_info(
        ctx.store, payload["idTag"], ctx.cs_id, connector_id, check_concurrent=ctx.config.concurrent_tx_check
    )
    # A refused token still gets a transaction of its own: the station may already be charging (offline start).
    transaction_id = transactions_v16.start_transaction(
        ctx.store,
        ctx.cs_id,
        connector_id,
        payload["idTag"],
        payload["meterStart"],
        payload["timestamp"],
        info["status"],
        payload.get("reservationId"),
    )
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    ctx.log.info("StartTransaction %s: transaction %s, %s", ctx.message_id, transaction_id, info["status"])
    return {"transactionId": int(transaction_id), "idTagInfo": info}


@routes.on("StopTransaction")
def stop_transaction(ctx: CallContext, payload: dict) -> dict:
    transaction_id = str(payload["transactionId"])
    connector_id = _connector_of(ctx, transaction_id)
    rows = _linked_rows(ctx.cs_id, transaction_id, connector_id, payload.get("transactionData") or [])
    outcome = transactions_v16.stop_transaction(
        ctx.store,
        ctx.cs_id,
        transaction_id,
        payload["meterStop"],
        payload["timestamp"],
        payload.get("reason", "Local"),
        payload.get("idTag"),
        rows,
    )
    if outcome != "stopped":
        # Still answered: a CALLERROR would leave the station retrying; another station's id is never touched.
        ctx.log.warning("StopTransaction %s: transaction %s is %s here", ctx.message_id, transaction_id, outcome)
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    if "idTag" in payload:
        return {"idTagInfo": id_tag_info(ctx.store, payload["idTag"])}
    return {}


def _connector_of(ctx: CallContext, transaction_id: str) -> int:
    row = transactions_v16.get_own_transaction(ctx.store, ctx.cs_id, transaction_id)
    return row["evse_id"] if row else 0


@routes.on("MeterValues")
def meter_values(ctx: CallContext, payload: dict) -> dict:
    transaction_id = payload.get("transactionId")
    linked: str | None = None
    if transaction_id is not None:
        linked = str(transaction_id)
        if transactions_v16.get_own_transaction(ctx.store, ctx.cs_id, linked) is None:
            ctx.log.warning("MeterValues %s: transaction %s is not this station's", ctx.message_id, linked)
            linked = None
    rows = _linked_rows(ctx.cs_id, linked, payload["connectorId"], payload["meterValue"])
    transactions_v16.add_meter_values(ctx.store, rows)
    station_runtime.mark_seen(ctx.store, ctx.cs_id)
    return {}
