"""The dashboard's protection: CSRF tokens, the login with CSMS_API_TOKEN, escaping of station text, strict headers."""
from __future__ import annotations

import re

import pytest

from storage import stations
from tests.web.conftest import HOSTILE_ID, HOSTILE_VENDOR, csrf_of

PAGES = ["/", "/transactions", "/tokens", "/certificates", "/partners", "/stations/cs001", "/transactions.csv",
         "/live", "/transaction?cs=cs001&id=1"]  # fmt: skip


def test_a_form_posted_without_the_csrf_token_is_refused(client, store):
    client.get("/")
    answer = client.post("/", data={"cs_id": "cs-forged", "securityProfile": "0"})
    assert answer.status_code == 400
    assert "CSRF token" in answer.text
    assert stations.get_station(store, "cs-forged") is None


def test_a_form_posted_with_another_sessions_token_is_refused(app, store):
    other = app.test_client()
    token = csrf_of(other.get("/").text)
    client = app.test_client()
    client.get("/")
    answer = client.post("/", data={"csrf_token": token, "cs_id": "cs-forged", "securityProfile": "0"})
    assert answer.status_code == 400
    assert stations.get_station(store, "cs-forged") is None


@pytest.mark.parametrize("path", PAGES)
def test_with_a_token_configured_every_page_redirects_to_the_login(token_app, path):
    answer = token_app.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?next=")


def test_a_form_post_before_signing_in_redirects_and_changes_nothing(token_app, store):
    client = token_app.test_client()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/", data={"csrf_token": token, "cs_id": "cs-early", "securityProfile": "0"})
    assert answer.status_code == 302
    assert stations.get_station(store, "cs-early") is None


def test_the_login_takes_the_api_token_and_goes_back_to_the_page(token_app):
    client = token_app.test_client()
    token = csrf_of(client.get("/login?next=/tokens").text)
    wrong = client.post("/login", data={"csrf_token": token, "token": "guess", "next": "/tokens"})
    assert wrong.status_code == 401
    right = client.post("/login", data={"csrf_token": token, "token": "s3cret-token", "next": "/tokens"})
    assert (right.status_code, right.headers["Location"]) == (302, "/tokens")
    assert client.get("/tokens").status_code == 200
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/api/v0/cs").status_code == 401  # the session is the dashboard's, never the API's bearer token


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_the_login_never_sends_anyone_to_another_site(token_app, target):
    client = token_app.test_client()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf_token": token, "token": "s3cret-token", "next": target})
    assert answer.headers["Location"] == "/"


def test_signing_out_ends_the_session(token_app):
    client = token_app.test_client()
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"csrf_token": token, "token": "s3cret-token", "next": "/"})
    token = csrf_of(client.get("/").text)
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 302


def test_station_text_is_escaped_on_every_page(web, booted):
    booted(HOSTILE_ID, vendor=HOSTILE_VENDOR)
    pages = [web("/"), web("/stations/" + HOSTILE_ID.replace("<", "%3C").replace(">", "%3E"))]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert(&#39;vendor&#39;)&lt;/script&gt;" in page.text
        assert "&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;" in page.text


def test_pages_carry_a_content_security_policy_and_no_inline_script_or_style(web, booted):
    booted("cs001")
    for path in ("/", "/stations/cs001", "/transactions", "/tokens", "/certificates", "/partners"):
        page = web(path)
        policy = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
        assert page.headers["X-Frame-Options"] == "DENY"
        assert not re.search(r"<script(?![^>]*\ssrc=)", page.text), path
        assert "<style" not in page.text and " style=" not in page.text, path
