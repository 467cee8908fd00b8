"""OCPP 2.0.1 DataTransfer: logged; the OCA Plug & Charge vendor's messages are answered like the native ones."""
from __future__ import annotations

from handlers.plug_and_charge import answer_data_transfer
from handlers.routing import CallContext
from handlers.v201 import routes


@routes.on("DataTransfer")
def data_transfer(ctx: CallContext, payload: dict) -> dict:
    return answer_data_transfer(ctx, payload, routes)
