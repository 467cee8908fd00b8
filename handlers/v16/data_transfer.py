"""OCPP 1.6 DataTransfer: logged, routed by vendorId and messageId; the OCA Plug & Charge messages carry 2.0.1 ones."""
from __future__ import annotations

from handlers.plug_and_charge import answer_data_transfer
from handlers.routing import CallContext
from handlers.v16 import routes
from handlers.v201 import routes as routes_201

# The original's reading of the OCA document: a 1.6 SignCertificate without a type asks for the V2G certificate.
DEFAULTS_16 = {"SignCertificate": {"certificateType": "V2GCertificate"}}


@routes.on("DataTransfer")
def data_transfer(ctx: CallContext, payload: dict) -> dict:
    return answer_data_transfer(ctx, payload, routes_201, DEFAULTS_16)
