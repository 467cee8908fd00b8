"""The client certificate store: upload, look up and delete by hash."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from werkzeug.routing import PathConverter
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from pki.fingerprints import certificate_hash
from schemas.certificates import CertificateSchema, StoredCertificateSchema, normalise_hash, parse_certificate
from schemas.common import PageArgsSchema, StatusSchema
from storage import certificates

blp = Blueprint("certificates", __name__, description="Client certificates")


def _stored_hash(certificate_hash: str) -> str:
    return normalise_hash(certificate_hash) or abort(404, message=f"no certificate {certificate_hash!r}")


@blp.route("/certificate")
class Certificates(MethodView):
    @blp.arguments(CertificateSchema)
    @blp.response(201)
    @blp.doc(operationId="uploadCertificate", summary="Upload a certificate")
    def post(self, body: dict[str, str]) -> Response:
        certificate = parse_certificate(body["certificate"])
        row = {
            "hash": certificate_hash(certificate),
            "pem": body["certificate"],
            "subject": certificate.subject.rfc4514_string(),
            "not_after": certificate.not_valid_after_utc.isoformat(),
        }
        certificates.save_certificate(storage.current(), row)
        return empty(201)

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, StoredCertificateSchema(many=True), description="Stored certificates, by hash")
    @blp.doc(operationId="listCertificates", summary="List stored certificates")
    def get(self, page: dict[str, int]) -> list[dict[str, Any]]:
        return certificates.list_certificates(storage.current(), page["offset"], page["limit"])


class HashConverter(PathConverter):
    """A certificate hash in a path: standard base64 may hold a '/', even as its first character (which the
    `path` converter refuses)."""

    regex = ".+?"
    part_isolating = False  # werkzeug would infer True from a regex without a '/'


@blp.route("/certificate/<certificate_hash:certificate_hash>")
class CertificateByHash(MethodView):
    @blp.response(200, CertificateSchema, description="Certificate details")
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="lookupCertificate", summary="Lookup a certificate")
    def get(self, certificate_hash: str) -> dict[str, Any]:
        found = certificates.get_certificate(storage.current(), _stored_hash(certificate_hash))
        if found is None:
            abort(404, message=f"no certificate {certificate_hash!r}")
        return {"certificate": found["pem"]}

    @blp.response(204)
    @blp.alt_response(404, schema=StatusSchema, description="Not found")
    @blp.doc(operationId="deleteCertificate", summary="Delete a certificate")
    def delete(self, certificate_hash: str) -> Response:
        if not certificates.delete_certificate(storage.current(), _stored_hash(certificate_hash)):
            abort(404, message=f"no certificate {certificate_hash!r}")
        return empty(204)
