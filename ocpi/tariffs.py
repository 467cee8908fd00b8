"""Tariffs sender: the one configured price per kWh as an OCPI Tariff."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from ocpi.context import TARIFF_ID, OcpiContext, current, request_version
from ocpi.envelope import page_arguments, paged

blp = Blueprint("tariffs", __name__, url_prefix="/tariffs")


def tariff_object(context: OcpiContext) -> dict[str, Any]:
    """Our Tariff: CSMS_PRICE_PER_KWH (excluding VAT), billed per Wh."""
    config = context.config
    return {
        "country_code": config.ocpi_country_code,
        "party_id": config.ocpi_party_id,
        "id": TARIFF_ID,
        "currency": config.ocpi_currency,
        "type": "REGULAR",
        "elements": [{"price_components": [{"type": "ENERGY", "price": config.price_per_kwh, "step_size": 1}]}],
        "last_updated": context.started_at,
    }


@blp.get("")
def list_tariffs() -> Response:
    page = page_arguments()
    context = current()
    tariff = tariff_object(context)
    updated = tariff["last_updated"]
    matches = (page.date_from is None or updated >= page.date_from) and (page.date_to is None or updated < page.date_to)
    found = [tariff] if matches else []
    return paged(found[page.offset : page.offset + page.limit], len(found), page, context.module_url(request_version(), "tariffs"))
