"""The certificate store: upload, lookup by any base64 spelling of the hash, delete."""
from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.api.conftest import make_pem


def spellings(pem: str) -> list[str]:
    """The hash as standard and URL-safe base64, padded and not."""
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)
    digest = hashlib.sha256(der).digest()
    standard, url_safe = base64.b64encode(digest).decode(), base64.urlsafe_b64encode(digest).decode()
    return [standard, standard.rstrip("="), url_safe, url_safe.rstrip("=")]


@pytest.fixture
def awkward_pem() -> str:
    """A certificate whose hash holds both '+' or '/' and '-' or '_' differences between alphabets."""
    while True:
        pem = make_pem()
        standard = spellings(pem)[0]
        if "/" in standard and "+" in standard:
            return pem


def test_upload_answers_201(api, pem) -> None:
    response = api("post", "/certificate", json={"certificate": pem})
    assert (response.status_code, response.get_data()) == (201, b"")


def test_lookup_accepts_every_spelling_and_returns_the_pem_verbatim(api, awkward_pem) -> None:
    uploaded = awkward_pem.replace("\n", "\r\n") + "trailing text\n"
    api("post", "/certificate", json={"certificate": uploaded})
    for spelling in spellings(awkward_pem):
        response = api("get", f"/certificate/{quote(spelling, safe='')}")
        assert response.status_code == 200, spelling
        assert response.get_json() == {"certificate": uploaded}


def test_lookup_accepts_an_unencoded_slash(api, awkward_pem) -> None:
    api("post", "/certificate", json={"certificate": awkward_pem})
    assert api("get", f"/certificate/{spellings(awkward_pem)[0]}").status_code == 200


@pytest.mark.parametrize("quoted", [True, False])
def test_a_hash_starting_with_a_slash_is_found_and_deleted(api, quoted) -> None:
    pem = next(pem for pem in iter(make_pem, None) if spellings(pem)[0].startswith("/"))
    api("post", "/certificate", json={"certificate": pem})
    path = "/certificate/" + (quote(spellings(pem)[0], safe="") if quoted else spellings(pem)[0])
    assert api("get", path).status_code == 200
    assert api("delete", path).status_code == 204


def test_a_chain_is_stored_under_its_first_certificate(api) -> None:
    first, second = make_pem("leaf"), make_pem("ca")
    api("post", "/certificate", json={"certificate": first + second})
    assert api("get", f"/certificate/{spellings(first)[3]}").get_json() == {"certificate": first + second}
    assert api("get", f"/certificate/{spellings(second)[3]}").status_code == 404


@pytest.mark.parametrize("spelling", [0, 1, 2, 3])
def test_delete_answers_204_then_404(api, pem, spelling) -> None:
    api("post", "/certificate", json={"certificate": pem})
    path = f"/certificate/{quote(spellings(pem)[spelling], safe='')}"
    response = api("delete", path)
    assert (response.status_code, response.get_data()) == (204, b"")
    assert api("get", path).status_code == 404
    assert api("delete", path).status_code == 404


@pytest.mark.parametrize("certificate_hash", ["unknown", "a" * 43, "!!", "a" * 100, "%2F%2Fab", "a%2F%2Fb"])
def test_unknown_hashes_are_404(api, certificate_hash) -> None:
    for method in ("get", "delete"):
        response = api(method, f"/certificate/{certificate_hash}")
        assert response.status_code == 404
        assert response.get_json()["status"] == "Not Found"


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({}, "body.certificate"),
        ({"certificate": ""}, "invalid certificate"),
        ({"certificate": "hello"}, "invalid certificate"),
        ({"certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}, "invalid certificate"),
        ({"certificate": 42}, "body.certificate"),
    ],
)
def test_upload_refuses_what_does_not_parse(api, body, fragment) -> None:
    response = api("post", "/certificate", json=body)
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]
