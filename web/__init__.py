"""The dashboard on the API port: server-rendered pages (`/`), forms through the API's code paths, and a live feed
(Server-Sent Events) fed by the gateway's hooks."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
from flask import Flask

from config import Config
from protocol.secrets import mask_payload
from storage import Store
from storage.frame_log import FrameLog
from web import actions, pages, security  # noqa: F401  (actions and security add theirs to the pages blueprint)
from web.feed import Feed
from web.live import Live

PARTS = "parts.html"


def pretty_json(value: Any) -> str:
    """JSON text or a decoded value, indented for reading (text that is not JSON is shown as it is)."""
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def when(value: str | None) -> str:
    """A stored time (UTC, ISO 8601) shorter: `2026-11-27 06:04:01`; empty for none."""
    return value[:19].replace("T", " ") if value else ""


def number(value: float | None) -> str:
    """A reading without a pointless fraction: 1,234 or 1,234.5; empty for none."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


STATUS_CLASSES = {
    "Available": "ok", "Charging": "busy", "Occupied": "busy", "Preparing": "busy", "SuspendedEV": "busy",
    "SuspendedEVSE": "busy", "Finishing": "busy", "Reserved": "busy", "Unavailable": "off", "Faulted": "bad",
}  # fmt: skip


def status_class(status: str | None) -> str:
    """The CSS class of a connector status (anything a station invents: `other`)."""
    return "status-" + STATUS_CLASSES.get(status or "", "other")


def station_url(cs_id: str) -> str:
    """The station page's path (any character of a station id is safe in it)."""
    return "/stations/" + quote(cs_id, safe="")


def init_app(app: Flask, config: Config) -> None:
    """Register the dashboard on the app; its live feed starts with `start_live` (the server does that)."""
    app.extensions["csms_feed"] = Feed()
    app.jinja_env.filters.update(pretty_json=pretty_json, when=when, number=number, status_class=status_class,
                                 masked=mask_payload)
    app.jinja_env.globals["station_url"] = station_url
    security.init_security(app)
    app.register_blueprint(pages.blp)


def renderer(app: Flask) -> Any:
    """render(macro, **arguments) -> HTML: a macro of parts.html, outside any request (the live feed's loop)."""

    def render(macro: str, **arguments: Any) -> str:
        return str(getattr(app.jinja_env.get_template(PARTS).module, macro)(**arguments))

    return render


def start_live(app: Flask, store: Store, hooks: Any, config: Config) -> Live:
    """Feed the dashboard from the gateway's hooks (and keep the frame log, unless CSMS_FRAME_LOG is off)."""
    frames = FrameLog(store, config.frame_log_size) if config.frame_log else None
    live = Live(app.extensions["csms_feed"], store, renderer(app), frames)
    live.attach(hooks)
    live.start()
    app.extensions["csms_live"] = live
    return live


def stop_live(app: Flask) -> None:
    """End every open event stream (at shutdown)."""
    app.extensions["csms_feed"].close()
