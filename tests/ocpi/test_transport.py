"""What every OCPI answer carries and how bad input is answered: the envelope, 401 for a wrong token, 400 for a body
that is not JSON, 404 with 2003/2004 for unknown objects, 2001 for bad parameters and foreign objects, request and
correlation ids echoed, routing headers answered, lists paged with Link, X-Total-Count and X-Limit."""
from __future__ import annotations

import requests

from tests.ocpi.conftest import add_location, get, module_url, new_station, versions_url
from tests.ocpi.emsp import token_header
from tests.ocpi.ocpi_objects import ENVELOPE, LOCATION, VERSIONS, check, data


def test_a_wrong_or_missing_token_is_401_with_the_envelope(server):
    for headers in ({}, {"Authorization": "Token nope"}, token_header("nope"), {"Authorization": "Bearer x"}):
        answer = requests.get(module_url(server, "locations"), headers=headers, timeout=10)
        assert answer.status_code == 401
        assert check(ENVELOPE, answer.json())["status_code"] == 2000


def test_a_body_that_is_not_json_is_400_and_a_bad_token_object_is_2001(server, emsp):
    url = module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/T1")
    garbage = emsp.cpo("PUT", url, data=b"{not json", headers={"Content-Type": "application/json"})
    assert garbage.status_code == 400 and garbage.json()["status_code"] == 2001
    invalid = emsp.cpo("PUT", url, json=emsp.token("T1", whitelist="SOMETIMES", valid="yes"))
    assert invalid.status_code == 200 and invalid.json()["status_code"] == 2001
    assert "whitelist" in invalid.json()["status_message"] and "valid" in invalid.json()["status_message"]
    mismatch = emsp.cpo("PUT", url, json=emsp.token("T2"))
    assert mismatch.json()["status_code"] == 2001


def test_unknown_objects_are_404_with_their_status_codes(server, emsp):
    location = emsp.cpo("GET", module_url(server, "locations/NOWHERE"))
    assert location.status_code == 404 and location.json()["status_code"] == 2003
    token = emsp.cpo("GET", module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/UNKNOWN"))
    assert token.status_code == 404 and token.json()["status_code"] == 2004
    command = emsp.cpo("POST", module_url(server, "commands/BREW_COFFEE"), json={})
    assert command.status_code == 404 and command.json()["status_code"] == 2001


def test_another_partys_tokens_are_out_of_reach(server, emsp):
    answer = emsp.cpo("PUT", module_url(server, "tokens/DE/XYZ/T3"), json=emsp.token("T3", country_code="DE", party_id="XYZ"))
    assert answer.status_code == 404 and answer.json()["status_code"] == 2001


def test_bad_list_parameters_are_2001(server, emsp):
    for params in ({"limit": "abc"}, {"offset": "-1"}, {"date_from": "yesterday"}, {"limit": "0"}):
        answer = get(emsp, module_url(server, "locations"), **params)
        assert answer.json()["status_code"] == 2001, params
    assert get(emsp, module_url(server, "sessions")).json()["status_code"] == 2001  # date_from is required there


def test_request_ids_are_echoed_and_routing_headers_answered(server, emsp):
    headers = {"X-Request-ID": "req-1", "X-Correlation-ID": "corr-1", "OCPI-from-country-code": emsp.country_code,
               "OCPI-from-party-id": emsp.party_id, "OCPI-to-country-code": "GB", "OCPI-to-party-id": "TWK"}  # fmt: skip
    answer = emsp.cpo("GET", module_url(server, "locations"), headers=headers)
    data(answer)
    assert (answer.headers["X-Request-ID"], answer.headers["X-Correlation-ID"]) == ("req-1", "corr-1")
    assert (answer.headers["OCPI-to-party-id"], answer.headers["OCPI-from-party-id"]) == (emsp.party_id, "TWK")
    plain = emsp.cpo("GET", module_url(server, "locations"))
    assert plain.headers["X-Request-ID"] and "OCPI-to-party-id" not in plain.headers
    elsewhere = emsp.cpo("GET", module_url(server, "locations"), headers={"OCPI-to-party-id": "ABC"})
    assert elsewhere.json()["status_code"] == 2001


def test_lists_are_paged_with_link_total_and_limit(server, emsp):
    for _ in range(3):
        add_location(server, [new_station(server)])
    first = get(emsp, module_url(server, "locations"), limit=2)
    page = data(first)
    total = int(first.headers["X-Total-Count"])
    assert len(page) == 2 and total >= 3 and first.headers["X-Limit"] == "2"
    link = first.headers["Link"]
    assert link.startswith("<") and 'rel="next"' in link and "offset=2" in link
    seen = [check(LOCATION, item)["id"] for item in page]
    url = link[1 : link.index(">")]
    while url:
        answer = emsp.cpo("GET", url)
        seen += [check(LOCATION, item)["id"] for item in data(answer)]
        link = answer.headers.get("Link")
        url = link[1 : link.index(">")] if link else ""
    assert len(seen) == total == len(set(seen))
    assert int(get(emsp, module_url(server, "locations"), limit=1000).headers["X-Limit"]) == 100
    assert data(get(emsp, module_url(server, "locations"), date_from="2999-01-01T00:00:00Z")) == []


def test_the_versions_answer_lists_both_versions(server, emsp):
    versions = data(emsp.cpo("GET", versions_url(server)), VERSIONS)
    assert [item["version"] for item in versions] == ["2.2.1", "2.2"]
    for item in versions:
        assert data(emsp.cpo("GET", item["url"]))["version"] == item["version"]
