"""The application factory `create_app(config)` and the entry point `python app.py`."""
from __future__ import annotations

if __name__ == "__main__":
    import sys

    # Before anything imports threading, socket or ssl: the whole server runs on gevent. The other commands (the
    # simulator's asyncio above all) keep the plain standard library.
    if sys.argv[1:2] in ([], ["serve"]):
        from gevent import monkey

        monkey.patch_all()

import hmac
from pathlib import Path

from flask import Flask, Response, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

import storage
import web
from api import errors
from config import Config
from pki.local_ca import LocalCA, open_ca
from metrics import HTTP_REQUESTS

OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
MAX_BODY_BYTES = 1024 * 1024


def create_app(config: Config, store: storage.Store | None = None, ca: LocalCA | None = None) -> Flask:
    """The management API app (API, docs, health, metrics, OCSP, the dashboard). Opens no listening sockets."""
    app = Flask(__name__)
    # A certificate hash in the standard base64 alphabet may hold "//" or start with "/": werkzeug would
    # answer such a path with a 308 to the merged path instead of routing it.
    app.url_map.merge_slashes = False
    app.config.from_mapping(
        API_TITLE="CSMS",
        API_VERSION="v0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v0",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/assets/vendor/swagger-ui/",  # swagger-ui-dist 5.36.0, served from web/static: offline
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        CSMS_CONFIG=config,
    )
    app.extensions["csms_ca"] = ca or open_ca(config)
    storage.init_app(app, store or storage.Store(config.db_path, config.db_max_mb))
    errors.init_errors(app)
    api = errors.Api(app)
    _register_blueprints(app, api)
    _register_hooks(app, config)
    _register_service_routes(app)
    web.init_app(app, config)
    return app


def _register_blueprints(app: Flask, api: errors.Api) -> None:
    from api import BLUEPRINTS
    from api.pki import ocsp_blp
    from api.certificates import HashConverter

    app.url_map.converters["certificate_hash"] = HashConverter
    api.register_converter(HashConverter, lambda converter: {"type": "string"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix="/api/v0")
    app.register_blueprint(ocsp_blp)


def _register_hooks(app: Flask, config: Config) -> None:
    @app.before_request
    def check_request() -> Response | None:
        if request.path.startswith("/api/v0") and config.api_token and not _has_api_token(config.api_token):
            response = errors.error_response(401, "missing or wrong bearer token")
            response.headers["WWW-Authenticate"] = 'Bearer realm="csms"'
            return response
        if request.path.startswith("/api/v0") and request.routing_exception is None:
            errors.require_json_body()
        return None

    @app.after_request
    def count_request(response: Response) -> Response:
        HTTP_REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response


def _has_api_token(expected: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected.encode())


def _register_service_routes(app: Flask) -> None:
    @app.get("/health")
    def health() -> tuple[dict, int]:
        store = storage.current()
        store.read(lambda db: db.execute("SELECT 1").fetchone())
        if not app.extensions.get("csms_listeners_ready", True):
            return {"status": "starting"}, 503
        problem = store.health()
        if problem is not None:
            return {"status": "unavailable", "error": problem}, 503
        return {"status": "ok"}, 200

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    @app.get("/api/v0/openapi.yaml")
    def openapi_yaml() -> Response:
        return Response(OPENAPI_FILE.read_text(), mimetype="application/yaml")


if __name__ == "__main__":
    from cli import main

    main()
