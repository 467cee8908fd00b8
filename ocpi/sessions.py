"""Sessions and CDRs sender: Session and CDR objects built from stored transactions, their GET endpoints (each
partner sees the sessions of its own tokens), and the pushes to the token's eMSP."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlite_utils
from flask import Blueprint, Response, g

from config import Config
from ocpi.context import TARIFF_ID, OcpiContext, current, request_version
from ocpi.envelope import page_arguments, paged
from ocpi.locations import without_none
from ocpi.partners import object_path, push
from ocpi.tariffs import tariff_object
from protocol.times import utc_instant
from storage import ocpi_commands, ocpi_sessions

blp = Blueprint("sessions", __name__, url_prefix="/sessions")
cdrs_blp = Blueprint("cdrs", __name__, url_prefix="/cdrs")

# A START_SESSION this long before a 1.6 transaction began counts as the command that started it.
COMMAND_WINDOW = timedelta(minutes=10)


def _utc(timestamp: str | None) -> str | None:
    """A station's time in UTC (as sent when it cannot be read)."""
    return None if timestamp is None else utc_instant(timestamp) or timestamp


def auth_method(db: sqlite_utils.Database, transaction: dict[str, Any], token: dict[str, Any]) -> str:
    """COMMAND when a partner's START_SESSION started it, AUTH_REQUEST when its token is always asked for in real time,
    else WHITELIST."""
    if transaction.get("remote_start_id") is not None:
        return "COMMAND"
    created = transaction.get("created_at")
    if created:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00")) - COMMAND_WINDOW
        since = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if ocpi_commands.was_started_by_command(db, transaction["cs_id"], token["uid"], (since, created)):
            return "COMMAND"
    return "AUTH_REQUEST" if token.get("cache_mode") in ("NEVER", "ALLOWED_OFFLINE") else "WHITELIST"


def cdr_token(token: dict[str, Any]) -> dict[str, Any]:
    """The CdrToken of a stored token."""
    return {
        "country_code": token["country_code"], "party_id": token["party_id"], "uid": token["uid"],
        "type": token["type"], "contract_id": token["contract_id"],
    }  # fmt: skip


def session_object(db: sqlite_utils.Database, config: Config, row: dict[str, Any]) -> dict[str, Any] | None:
    """The Session of a session row, or None when its transaction or token is gone."""
    facts = ocpi_sessions.session_facts(db, row)
    transaction, token = facts["transaction"], facts["token"]
    if not transaction or token is None:
        return None
    kwh = round(transaction["energy_wh"] / 1000, 3)
    return without_none(
        {
            "country_code": config.ocpi_country_code,
            "party_id": config.ocpi_party_id,
            "id": str(row["id"]),
            "start_date_time": _utc(transaction["started_at"]),
            "end_date_time": _utc(transaction.get("stopped_at")),
            "kwh": kwh,
            "cdr_token": cdr_token(token),
            "auth_method": auth_method(db, transaction, token),
            "location_id": row["location_id"],
            "evse_uid": row["evse_uid"],
            "connector_id": str(transaction.get("evse_id") or 1),
            "currency": config.ocpi_currency,
            "total_cost": {"excl_vat": round(kwh * config.price_per_kwh, 2)},
            "status": row["status"],
            "last_updated": row["last_updated"],
        }
    )


def _hours(start: str, end: str) -> float:
    try:
        seconds = (datetime.fromisoformat(end.replace("Z", "+00:00")) - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
    except ValueError:
        return 0.0
    return round(max(seconds, 0.0) / 3600, 4)


def cdr_location(location: dict[str, Any], evse_uid: str, connector_id: str) -> dict[str, Any]:
    """The CdrLocation: the location's address with the EVSE and connector charged at."""
    body = location["body"]
    evse = next((evse for evse in body.get("evses") or [] if evse["uid"] == evse_uid), {"connectors": []})
    connector = next((item for item in evse["connectors"] if item["id"] == connector_id), None)
    connector = connector or (evse["connectors"] or [{}])[0]
    names = ("name", "address", "city", "postal_code", "country", "coordinates")
    return without_none(
        {
            "id": location["id"], **{name: body.get(name) for name in names},
            "evse_uid": evse_uid, "evse_id": evse.get("evse_id") or evse_uid, "connector_id": connector_id,
            "connector_standard": connector.get("standard", "UNKNOWN"), "connector_format": connector.get("format", "SOCKET"),
            "connector_power_type": connector.get("power_type", "AC_3_PHASE"),
        }
    )  # fmt: skip


def cdr_object(db: sqlite_utils.Database, context: OcpiContext, row: dict[str, Any]) -> dict[str, Any] | None:
    """The CDR of a completed session, or None when its transaction, token or location is gone."""
    session = session_object(db, context.config, row)
    location = ocpi_sessions.session_facts(db, row)["location"]
    if session is None or location is None:
        return None
    start, end = session["start_date_time"], session.get("end_date_time") or row["cdr_at"]
    hours = _hours(start, end)
    dimensions = [{"type": "ENERGY", "volume": session["kwh"]}, {"type": "TIME", "volume": hours}]
    names = ("country_code", "party_id", "cdr_token", "auth_method", "currency", "total_cost")
    return {
        **{name: session[name] for name in names},
        "id": session["id"], "start_date_time": start, "end_date_time": end, "session_id": session["id"],
        "cdr_location": cdr_location(location, row["evse_uid"], session["connector_id"]),
        "tariffs": [tariff_object(context)],
        "charging_periods": [{"start_date_time": start, "dimensions": dimensions, "tariff_id": TARIFF_ID}],
        "total_energy": session["kwh"], "total_time": hours, "last_updated": row["cdr_at"],
    }  # fmt: skip


def _listed(column: str, build: Any) -> Response:
    page = page_arguments(date_from_required=column == "last_updated")
    context = current()
    total, rows = ocpi_sessions.page_sessions(
        context.store, g.party["id"], column, (page.date_from, page.date_to), page.offset, page.limit
    )
    items = context.store.read(lambda db: [item for row in rows if (item := build(db, row)) is not None])
    module = "sessions" if column == "last_updated" else "cdrs"
    return paged(items, total, page, context.module_url(request_version(), module))


@blp.get("")
def list_sessions() -> Response:
    return _listed("last_updated", lambda db, row: session_object(db, current().config, row))


@cdrs_blp.get("")
def list_cdrs() -> Response:
    return _listed("cdr_at", lambda db, row: cdr_object(db, current(), row))


# -- pushes, inside the watcher's write jobs --------------------------------------------------------------------
def queue_session(db: sqlite_utils.Database, context: OcpiContext, row: dict[str, Any], party: dict[str, Any]) -> None:
    """PUT the whole session to its eMSP; once completed, POST its CDR too."""
    session = session_object(db, context.config, row)
    if session is None:
        return
    push(db, party, "sessions", "PUT", object_path(context.config, session["id"]), session)
    if row.get("cdr_at"):
        cdr = cdr_object(db, context, row)
        if cdr is not None:
            push(db, party, "cdrs", "POST", "", cdr)


def queue_session_update(db: sqlite_utils.Database, config: Config, row: dict[str, Any], party: dict[str, Any]) -> None:
    """PATCH an active session's energy and cost to its eMSP."""
    session = session_object(db, config, row)
    if session is not None:
        changes = {name: session[name] for name in ("kwh", "total_cost", "last_updated")}
        push(db, party, "sessions", "PATCH", object_path(config, session["id"]), changes)
