"""The OCPI 2.2.1 (and 2.2) app: its own Flask app on the OCPI port, every answer in the OCPI envelope."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from ocpi import auth, commands, credentials, locations, sessions, tariffs, tokens, versions
from ocpi.context import OcpiContext
from ocpi.envelope import CLIENT_ERROR, SERVER_ERROR, OcpiError, error_response

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


def create_ocpi_app(context: OcpiContext) -> Flask:
    """The WSGI app of the OCPI listener. Opens no listening sockets."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.extensions["ocpi_context"] = context
    app.register_blueprint(versions.blp)
    versioned = Blueprint("versioned", __name__, url_prefix="/ocpi/<any('2.2.1', '2.2'):version>")
    for module in (credentials.blp, locations.blp, sessions.blp, sessions.cdrs_blp, tariffs.blp, tokens.blp, commands.blp):
        versioned.register_blueprint(module)

    @versioned.url_value_preprocessor
    def take_version(endpoint: str | None, values: dict | None) -> None:
        g.ocpi_version = (values or {}).pop("version", None)

    app.register_blueprint(versioned)
    _register_hooks(app)
    return app


def _module(path: str) -> str:
    """versions, details, or the module a path under /ocpi/{version}/ names."""
    parts = path.strip("/").split("/")
    if parts[:2] == ["ocpi", "versions"]:
        return "versions"
    return parts[2] if len(parts) > 2 else "details"


def _register_hooks(app: Flask) -> None:
    @app.before_request
    def check_caller() -> None:
        auth.authenticate(_module(request.path))

    @app.after_request
    def add_headers(response: Response) -> Response:
        return auth.answer_headers(response)

    @app.errorhandler(OcpiError)
    def ocpi_error(error: OcpiError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return error_response(OcpiError(error.code or 400, CLIENT_ERROR, error.description or error.name))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("OCPI %s %s failed", request.method, request.path)
        return error_response(OcpiError(500, SERVER_ERROR, "the CSMS failed to handle this request"))
