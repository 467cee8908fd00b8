"""The dashboard's pages (GET): stations, a station, transactions with their chart and CSV, tokens, certificates,
OCPI partners, and the live feed's event stream."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from flask import Blueprint, Response, copy_current_request_context, current_app, render_template, request
from gevent import monkey

import storage
from pki.authority import pem
from storage import utc_now_iso
from protocol.versions import CSMS_ACTIONS
from schemas.commands import TRIGGERS
from storage import (
    certificates,
    device_model,
    frame_log,
    issued_certificates,
    meter_values,
    ocpi_pushes,
    parties,
    security_events,
    stations,
    tokens,
    transactions,
)
from web.feed import Feed
from web.sections import station_sections

blp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")

PAGE_SIZE = 50
EXPORT_ROWS = 100_000
VARIABLES_SHOWN = 500
EVENTS_SHOWN = 50
TRANSACTION_FILTERS = {"cs": "cs_id", "token": "id_token", "status": "status"}  # query parameter -> column


_render_pool: Any = None  # the thread big pages are rendered on, made on first use


def render_off_hub(template: str, **context: Any) -> str:
    """Render a big page on a thread of its own when gevent runs: the event loop keeps serving stations meanwhile (the
    list of 5,000 stations takes ~150 ms of Python; on the loop, every station would wait that long)."""
    global _render_pool
    if not monkey.is_module_patched("threading"):
        return render_template(template, **context)
    if _render_pool is None:
        from gevent.threadpool import ThreadPool

        _render_pool = ThreadPool(1)
    return _render_pool.apply(copy_current_request_context(render_template), (template,), context)


def not_found(message: str) -> tuple[str, int]:
    return render_template("error.html", title="Not found", message=message), 404


def _offset() -> int:
    value = request.args.get("offset", "0")
    return int(value) if value.isdigit() else 0


@blp.get("/")
def stations_page() -> str:
    everything = stations.list_station_overview(storage.current())
    query = (request.args.get("q") or "").strip().lower()
    state = request.args.get("state") or ""
    shown = [
        station for station in everything
        if (not query or query in " ".join(str(station[name] or "") for name in ("id", "vendor", "model")).lower())
        and (not state or bool(station["connected"]) == (state == "online"))
    ]  # fmt: skip
    return render_off_hub("stations.html", stations=shown, total=len(everything), query=query, state=state)


def render_station(cs_id: str, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                   status: int = 200) -> tuple[str, int]:
    """The station's page; with a form's error and the values it was sent with when it was refused."""
    store = storage.current()
    sections = station_sections(store, cs_id)
    if sections is None:
        return not_found(f"No charge station {cs_id!r} is registered.")
    version = sections["facts"]["station"]["ocpp_version"]
    since = utc_now_iso()  # the live feed sends the frames logged from now on: some may be in the page too
    store.write(lambda db: None)  # and the frames logged before now are committed after this write
    page = render_template(
        "station.html", cs_id=cs_id, sections=sections, frames=frame_log.list_frames(store, cs_id), since=since,
        issued=issued_certificates.list_issued(store, cs_id, 0, 50),
        installed=certificates.list_station_certificates(store, cs_id),
        events=security_events.list_events(store, cs_id, 0, EVENTS_SHOWN),
        variables=device_model.list_variables(store, cs_id, 0, VARIABLES_SHOWN),
        actions=sorted(CSMS_ACTIONS.get(version or "", ())), triggers=TRIGGERS,
        errors=errors or {}, values=values or {},
    )  # fmt: skip
    return page, status


@blp.get("/stations/<path:cs_id>")
def station_page(cs_id: str) -> tuple[str, int]:
    return render_station(cs_id)


def _transaction_filters() -> dict[str, str | None]:
    return {column: (request.args.get(name) or "").strip() or None for name, column in TRANSACTION_FILTERS.items()}


@blp.get("/transactions")
def transactions_page() -> str:
    offset = _offset()
    found = transactions.search_transactions(storage.current(), _transaction_filters(), offset, PAGE_SIZE + 1)
    filters = {name: request.args.get(name, "") for name in TRANSACTION_FILTERS}
    return render_template("transactions.html", transactions=found[:PAGE_SIZE], has_more=len(found) > PAGE_SIZE,
                           offset=offset, page_size=PAGE_SIZE, filters=filters)


def csv_answer(filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV download; text cells a spreadsheet would take for a formula are quoted with a leading '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"'{cell}" if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")
                         else cell for cell in row])  # fmt: skip
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)


TRANSACTION_COLUMNS = (
    "cs_id", "transaction_id", "evse_id", "connector_id", "id_token", "status", "started_at", "stopped_at",
    "meter_start", "meter_stop", "energy", "stop_reason",
)  # fmt: skip


@blp.get("/transactions.csv")
def transactions_csv() -> Response:
    found = transactions.search_transactions(storage.current(), _transaction_filters(), 0, EXPORT_ROWS)
    return csv_answer("transactions.csv", TRANSACTION_COLUMNS, ([row[name] for name in TRANSACTION_COLUMNS] for row in found))


def _transaction() -> dict[str, Any] | None:
    cs_id, transaction_id = request.args.get("cs", ""), request.args.get("id", "")
    return transactions.find_transaction(storage.current(), cs_id, transaction_id)


@blp.get("/transaction")
def transaction_page() -> str | tuple[str, int]:
    found = _transaction()
    if found is None:
        return not_found("No such transaction.")
    return render_template("transaction.html", transaction=found)


@blp.get("/transaction/series.json")
def transaction_series() -> dict[str, Any] | tuple[dict[str, str], int]:
    found = _transaction()
    if found is None:
        return {"error": "no such transaction"}, 404
    return chart_series(meter_values.energy_and_power(storage.current(), found["cs_id"], found["transaction_id"]))


def chart_series(rows: list[tuple[str, str | None, float, str | None]]) -> dict[str, Any]:
    """Energy (Wh) and power (W) over time as uPlot wants them: shared x (ISO times), a column each, gaps null."""
    times: list[str] = []
    energy: list[float | None] = []
    power: list[float | None] = []
    for timestamp, measurand, value, unit in rows:
        if not times or times[-1] != timestamp:
            times.append(timestamp)
            energy.append(None)
            power.append(None)
        scale = 1000.0 if unit in ("kWh", "kW") else 1.0
        if measurand == "Power.Active.Import":
            power[-1] = value * scale
        else:
            energy[-1] = value * scale
    return {"times": times, "energy": energy, "power": power}


@blp.get("/transaction/meter-values.csv")
def meter_values_csv() -> Response | tuple[str, int]:
    found = _transaction()
    if found is None:
        return not_found("No such transaction.")
    rows = meter_values.list_for_export(storage.current(), found["cs_id"], found["transaction_id"])
    columns = meter_values.VALUE_COLUMNS
    return csv_answer("meter-values.csv", columns, ([row[name] for name in columns] for row in rows))


@blp.get("/tokens")
def tokens_page(errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> str:
    offset = _offset()
    found = tokens.list_tokens(storage.current(), offset, PAGE_SIZE + 1)
    editing = tokens.get_token(storage.current(), request.args["edit"]) if request.args.get("edit") else None
    return render_template("tokens.html", tokens=found[:PAGE_SIZE], has_more=len(found) > PAGE_SIZE, offset=offset,
                           page_size=PAGE_SIZE, editing=editing or {}, errors=errors or {}, values=values)


@blp.get("/certificates")
def certificates_page() -> str:
    store = storage.current()
    return render_template("certificates.html", stored=certificates.list_certificates(store),
                           issued=issued_certificates.list_recent(store, 200))


@blp.get("/certificates/root.pem")
def root_certificate() -> Response:
    ca = current_app.extensions["csms_ca"]
    headers = {"Content-Disposition": 'attachment; filename="csms-root.pem"'}
    return Response(pem(ca.root.certificate), mimetype="application/x-pem-file", headers=headers)


@blp.get("/partners")
def partners_page() -> str:
    store = storage.current()
    found = parties.list_parties(store)
    queues = {party["id"]: ocpi_pushes.list_pushes(store, party["id"]) for party in found}
    return render_template("partners.html", parties=found, queues=queues)


@blp.get("/live")
def live_stream() -> Response:
    feed: Feed = current_app.extensions["csms_feed"]
    subscriber = feed.subscribe(request.args.get("station") or None)
    live = current_app.extensions.get("csms_live")
    if live is not None and request.args.get("since"):
        live.catch_up(subscriber, request.args["since"])
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(feed.stream(subscriber), mimetype="text/event-stream", headers=headers)
