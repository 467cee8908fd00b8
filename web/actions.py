"""The dashboard's forms (POST): each builds the API's request body, checks it with the API's schema and calls the
function the API's view calls, so a form can do nothing the API would refuse; a refusal is shown beside the form."""
from __future__ import annotations

import secrets
from typing import Any, Callable

from flask import Response, current_app, flash, redirect, render_template, request, url_for

import storage
from api.commands import queue_charging_profile, queue_reconfigure, queue_trigger
from api.station_commands import queue_any_call, queue_typed
from api.stations import register_station
from protocol.times import utc_now
from schemas.commands import ChargeStationSettingsSchema, ChargeStationTriggerSchema, ChargingProfileSchema
from schemas.station_commands import TYPED_SCHEMAS, CallSchema
from schemas.stations import ChargeStationAuthSchema
from schemas.tokens import TokenSchema
from storage import issued_certificates, stations, tokens
from web.forms import FormError, body_of, integer, json_value, load, text, through_api
from web.pages import blp, render_station, tokens_page

PASSWORD_BYTES = 24  # 32 URL-safe characters, 192 random bits
Field = Callable[[Any, str], Any]
TYPED_FORMS: dict[str, dict[str, Field]] = {
    "reset": {"type": text, "evseId": integer},
    "remoteStart": {"idToken": text, "idTokenType": text, "evseId": integer, "chargingProfile": json_value},
    "remoteStop": {"transactionId": text},
    "unlockConnector": {"evseId": integer, "connectorId": integer},
    "changeAvailability": {"operationalStatus": text, "evseId": integer, "connectorId": integer},
}


def _station_changed(cs_id: str) -> None:
    live = current_app.extensions.get("csms_live")
    if live is not None:
        live.station_changed(cs_id)


@blp.post("/")
def register() -> str | tuple[str, int]:
    form = request.form
    cs_id = text(form, "cs_id") or ""
    try:
        profile = integer(form, "securityProfile")
        password = secrets.token_urlsafe(PASSWORD_BYTES) if profile in (0, 1) else None
        body = body_of(securityProfile=profile, invalidUsernameAllowed=form.get("invalidUsernameAllowed") == "on",
                       base64SHA256Password=password and stations.password_hash(password))
        through_api(register_station, cs_id, load(ChargeStationAuthSchema(), body))
    except FormError as error:
        found = stations.list_station_overview(storage.current())
        page = render_template("stations.html", stations=found, total=len(found), query="", state="",
                               register_error=str(error), register_values=form)
        return page, 400
    _station_changed(cs_id)
    host = request.host.rsplit(":", 1)[0]  # a listener on every address is reached the way this page was
    urls = {name: url.replace("0.0.0.0", host) for name, url in current_app.extensions.get("csms_station_urls", {}).items()}
    return render_template("registered.html", cs_id=cs_id, password=password, security_profile=profile, urls=urls)


def _typed(cs_id: str, operation: str) -> str:
    body = body_of(**{name: read(request.form, name) for name, read in TYPED_FORMS[operation].items()})
    command = through_api(queue_typed, cs_id, operation, load(TYPED_SCHEMAS[operation](), body))
    return f"{command['params']['action']} queued (command {command['id']})"


def _call(cs_id: str) -> str:
    body = load(CallSchema(), body_of(action=text(request.form, "action"), payload=json_value(request.form, "payload")))
    command = through_api(queue_any_call, cs_id, body["action"], body["payload"])
    return f"{body['action']} queued (command {command['id']})"


def _trigger(cs_id: str) -> str:
    body = load(ChargeStationTriggerSchema(), body_of(trigger=text(request.form, "trigger")))
    through_api(queue_trigger, cs_id, body["trigger"])
    return f"Trigger {body['trigger']} queued"


def _reconfigure(cs_id: str) -> str:
    settings: dict[str, str] = {}
    for line in (request.form.get("settings") or "").splitlines():
        if line.strip():
            name, equals, value = line.partition("=")
            if not equals:
                raise FormError(f"body: {line.strip()!r} is not name=value")
            settings[name.strip()] = value.strip()
    through_api(queue_reconfigure, cs_id, load(ChargeStationSettingsSchema(), settings))
    return f"Reconfiguration of {', '.join(settings)} queued"


def _charging_profile(cs_id: str) -> str:
    profile = load(ChargingProfileSchema(), json_value(request.form, "profile"))
    through_api(queue_charging_profile, cs_id, profile)
    return f"Charging profile {profile['id']} queued"


def _revoke(cs_id: str) -> str:
    serial = (text(request.form, "serial") or "").upper()
    if not issued_certificates.revoke(storage.current(), cs_id, serial):
        raise FormError(f"no certificate {serial!r} issued to {cs_id!r}")
    return f"Certificate {serial} revoked"


STATION_FORMS: dict[str, Callable[[str], str]] = {
    "trigger": _trigger, "reconfigure": _reconfigure, "profile": _charging_profile, "call": _call, "revoke": _revoke,
    **{operation: (lambda cs_id, operation=operation: _typed(cs_id, operation)) for operation in TYPED_FORMS},
}  # fmt: skip


@blp.post("/stations/<path:cs_id>")
def station_action(cs_id: str) -> Response | tuple[str, int]:
    name = request.form.get("form", "")
    if name == "delete":
        if request.form.get("confirm") != "on" or not stations.delete_station(storage.current(), cs_id):
            return render_station(cs_id, {"delete": "tick the box to confirm"}, request.form, 400)
        _station_changed(cs_id)
        flash(f"Station {cs_id} deleted")
        return redirect(url_for("web.stations_page"), 303)
    if name not in STATION_FORMS:
        return render_station(cs_id, {"page": f"unknown form {name!r}"}, request.form, 400)
    try:
        flash(STATION_FORMS[name](cs_id))
    except FormError as error:
        return render_station(cs_id, {name: str(error)}, request.form, 400)
    return redirect(url_for("web.station_page", cs_id=cs_id), 303)


def _token_body() -> dict[str, Any]:
    form = request.form
    names = ("uid", "countryCode", "partyId", "type", "contractId", "visualNumber", "issuer", "groupId",
             "languageCode", "cacheMode", "expiryDate")  # fmt: skip
    return body_of(**{name: text(form, name) for name in names}, valid=form.get("valid") == "on")


@blp.post("/tokens")
def token_action() -> Response | tuple[str, int]:
    name = request.form.get("form", "")
    try:
        if name == "expire":
            uid = text(request.form, "uid") or ""
            stored = tokens.get_token(storage.current(), uid)
            if stored is None:
                raise FormError(f"no token {uid!r}")
            body = {**TokenSchema().dump(stored), "expiryDate": utc_now()}
        else:
            body = _token_body()
        token = load(TokenSchema(), body)
        tokens.save_token(storage.current(), token)
    except FormError as error:
        return tokens_page({name or "save": str(error)}, request.form), 400
    flash(f"Token {token['uid']} {'expired' if name == 'expire' else 'saved'}")
    return redirect(url_for("web.tokens_page"), 303)
