"""The error body and codes of interface.md: 400 (never 422), 401, 404, 405, 413, 415; never a 500."""
from __future__ import annotations

import pytest

from app import create_app
from config import Config
from storage import Store

from tests.api.conftest import API


def assert_error(response, code: int, status: str) -> dict:
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"status", "error"} and body["status"] == status and body["error"]
    return body


def test_unknown_path_is_404_json(api) -> None:
    assert_error(api("get", "/nothing/here"), 404, "Not Found")


def test_wrong_method_is_405_json_with_allow(api) -> None:
    response = api("put", "/token", json={})
    assert_error(response, 405, "Method Not Allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_json_is_415(api, content_type) -> None:
    assert_error(api("post", "/token", data="uid=1", content_type=content_type), 415, "Unsupported Media Type")


def test_a_body_over_one_mebibyte_is_413(api) -> None:
    body = b'{"token": "' + b"x" * (1024 * 1024) + b'"}'
    assert_error(api("post", "/register", data=body, content_type="application/json"), 413, "Request Entity Too Large")


@pytest.mark.parametrize(
    "body", ["{bad json", "", "null", "[1]", '"text"', "[" * 100_000, '{"token": "\\ud800"}', "NaN"]
)
def test_malformed_json_is_400_never_500(api, body) -> None:
    response = api("post", "/register", data=body, content_type="application/json")
    assert_error(response, 400, "Bad Request")


def test_validation_errors_are_400_not_422(api) -> None:
    body = assert_error(api("post", "/cs/cs1/trigger", json={"trigger": "Nope"}), 400, "Bad Request")
    assert body["error"].startswith("body.trigger: must be one of: BootNotification")


def test_bad_integer_query_is_400_json(api) -> None:
    assert_error(api("get", "/token?limit=abc"), 400, "Bad Request")


@pytest.fixture
def guarded(db_path, store: Store):
    return create_app(Config(db_path=db_path, api_token="s3cret"), store).test_client()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic czNjcmV0", "Bearer"])
def test_api_token_is_required_when_configured(guarded, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = guarded.get(f"{API}/token", headers=headers)
    assert_error(response, 401, "Unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_token_lets_the_request_through(guarded) -> None:
    assert guarded.get(f"{API}/token", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    response = guarded.post(f"{API}/cs/cs1", json={"securityProfile": 0}, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 201


def test_without_a_configured_token_no_header_is_needed(api) -> None:
    assert api("get", "/token").status_code == 200
