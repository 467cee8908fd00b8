"""The dashboard's protection: a login when CSMS_API_TOKEN is set, a CSRF token on every form, strict headers.

The session is Flask's signed cookie (HttpOnly, SameSite=Lax) with a key made at start: a restart signs everyone out,
and no key is kept on disk.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, redirect, render_template, request, session, url_for

from config import Config
from web.pages import blp

# No inline script or style anywhere: what a station sends can never run, even if a template forgot to escape it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
OPEN_ENDPOINTS = ("web.login", "web.static")  # reachable before signing in


def csrf_token() -> str:
    """The session's CSRF token (made on first use); every form posts it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def has_csrf_token() -> bool:
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf")
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def is_signed_in(config: Config) -> bool:
    return not config.api_token or session.get("signed_in") is True


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of ours only (never another site)."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or target[:2] in ("//", "/\\"):
        return url_for("web.stations_page")
    return target


def _config() -> Config:
    return current_app.config["CSMS_CONFIG"]


def init_security(app: Flask) -> None:
    """Sessions signed with a key of this process, their cookie, and the CSRF token in every template."""
    app.secret_key = app.secret_key or secrets.token_bytes(32)
    app.config.update(SESSION_COOKIE_NAME="csms_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.jinja_env.globals["csrf_token"] = csrf_token


@blp.before_request
def guard() -> Response | tuple[str, int] | None:
    """Sign in first (with CSMS_API_TOKEN set); every form carries the session's CSRF token."""
    if request.endpoint not in OPEN_ENDPOINTS and not is_signed_in(_config()):
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    if request.method == "POST" and not has_csrf_token():
        message = "The form's CSRF token is missing or wrong: reload the page and send the form again."
        return render_template("error.html", title="Refused", message=message), 400
    return None


@blp.after_request
def protect(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@blp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    expected = _config().api_token
    if not expected:
        return redirect(url_for("web.stations_page"))
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    token = request.form.get("token", "")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return render_template("login.html", next=request.form.get("next", ""), error="Wrong token."), 401
    session.clear()
    session["signed_in"] = True
    return redirect(safe_next(request.form.get("next")))


@blp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("web.login"))
