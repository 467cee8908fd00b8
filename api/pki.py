"""The local CA: its root certificate, the certificates it issued per station, revocation, and its OCSP responder."""
from __future__ import annotations

import base64
import binascii
import functools

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from api.stations import require_station
from pki import ocsp
from pki.authority import pem
from pki.csr import CsrRefused, checked_contract_csr
from pki.fingerprints import summary
from pki.issuing import issue_leaf
from pki.local_ca import LocalCA
from schemas.common import StatusSchema
from schemas.pki import (
    ContractCertificateRequestSchema,
    ContractCertificateSchema,
    IssuedCertificateListArgsSchema,
    IssuedCertificateSchema,
)
from storage import issued_certificates

blp = Blueprint("pki", __name__, description="The local certificate authority")
ocsp_blp = FlaskBlueprint("ocsp", __name__)  # RFC 6960's HTTP binding: no JSON, no bearer token
MAX_OCSP_REQUEST = 64 * 1024
CONTRACT_DAYS = 730  # ISO 15118-2 contract certificates live up to about two years


def current_ca() -> LocalCA:
    return current_app.extensions["csms_ca"]


@blp.route("/pki/ca")
class RootCertificate(MethodView):
    @blp.response(200, content_type="application/x-pem-file", description="The root certificate, PEM")
    @blp.doc(operationId="getCaCertificate", summary="The local CA's root certificate, to install on stations")
    def get(self) -> Response:
        return Response(pem(current_ca().root.certificate), mimetype="application/x-pem-file")


@blp.route("/cs/<cs_id>/certificates/issued")
class IssuedCertificates(MethodView):
    @blp.arguments(IssuedCertificateListArgsSchema, location="query")
    @blp.response(200, IssuedCertificateSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="listIssuedCertificates", summary="Certificates the local CA issued to the station")
    def get(self, page: dict, cs_id: str) -> list[dict]:
        require_station(cs_id)
        return issued_certificates.list_issued(storage.current(), cs_id, page["offset"], page["limit"])


@blp.route("/cs/<cs_id>/certificates/issued/<serial>")
class IssuedCertificate(MethodView):
    @blp.response(204)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station or certificate")
    @blp.doc(operationId="revokeIssuedCertificate", summary="Revoke a certificate the local CA issued")
    def delete(self, cs_id: str, serial: str) -> Response:
        require_station(cs_id)
        if not issued_certificates.revoke(storage.current(), cs_id, serial.upper()):
            abort(404, message=f"no certificate {serial!r} issued to {cs_id!r}")
        return empty(204)


@ocsp_blp.post("/ocsp")
def ocsp_post() -> Response:
    if (request.content_length or 0) > MAX_OCSP_REQUEST:
        return _ocsp_answer(ocsp.malformed())
    return _ocsp_answer(_respond(request.get_data()))


@ocsp_blp.get("/ocsp/<path:encoded>")
def ocsp_get(encoded: str) -> Response:
    try:
        der = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return _ocsp_answer(ocsp.malformed())
    return _ocsp_answer(_respond(der))


def _respond(der: bytes) -> bytes:
    return ocsp.respond(der, current_ca().authorities(), functools.partial(issued_certificates.revocation, storage.current()))


def _ocsp_answer(der: bytes) -> Response:
    return Response(der, mimetype="application/ocsp-response")


@blp.route("/pki/contract-certificates")
class ContractCertificates(MethodView):
    @blp.arguments(ContractCertificateRequestSchema)
    @blp.response(201, ContractCertificateSchema)
    @blp.doc(operationId="issueContractCertificate",
             summary="Issue an EV's contract certificate from the local contract sub-CA (lab use)")
    def post(self, body: dict) -> dict:
        try:
            csr = checked_contract_csr(body["csr"], body["emaid"])
        except CsrRefused as refusal:
            abort(400, message=f"body.csr: {refusal}")
        ca = current_ca()
        leaf = issue_leaf(ca.contracts, csr.subject, csr.public_key(), "Contract", CONTRACT_DAYS, ca.ocsp_url)
        chain = ca.contracts.chain_pem(leaf)
        record = {**summary(leaf), "cs_id": None, "certificate_type": "ContractCertificate", "pem": chain}
        storage.current().write(lambda db: issued_certificates.record_issued(db, record))
        return {**record, "emaid": body["emaid"], "certificate_chain": chain}


@blp.route("/pki/contract-certificates/<serial>")
class ContractCertificate(MethodView):
    @blp.response(204)
    @blp.alt_response(404, schema=StatusSchema, description="No such contract certificate")
    @blp.doc(operationId="revokeContractCertificate", summary="Revoke a contract certificate the local CA issued")
    def delete(self, serial: str) -> Response:
        if not issued_certificates.revoke(storage.current(), None, serial.upper()):
            abort(404, message=f"no contract certificate {serial!r}")
        return empty(204)
