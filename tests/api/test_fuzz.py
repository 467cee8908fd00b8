"""Property-based fuzzing of every operation in openapi.yaml (schemathesis): never a 5xx, answers conform."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from storage import station_runtime

CONTRACT = Path(__file__).resolve().parents[2] / "openapi.yaml"
EXAMPLES_PER_OPERATION = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
)
# schemathesis' own pytest plugin (from_fixture/parametrize) breaks on pytest 9 (no Function._nodeid),
# so each operation is a plain parametrized test driving hypothesis with the operation's strategy.
OPERATIONS = [
    (method.upper(), path)
    for path, item in yaml.safe_load(CONTRACT.read_text())["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def contract(app, store):
    """openapi.yaml as the app serves it, bound to the app, with stations of each version to find."""
    client = app.test_client()
    for cs_id, version in (("cs001", "1.6"), ("cs002", "2.0.1"), ("0", None)):
        client.post(f"/api/v0/cs/{cs_id}", json={"securityProfile": 0})
        if version:
            station_runtime.mark_connected(store, cs_id, version, None)
    return schemathesis.openapi.from_wsgi("/api/v0/openapi.yaml", app)


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_valid_requests_never_fail_the_contract(contract, method: str, path: str) -> None:
    @given(case=contract[path][method].as_strategy(GenerationMode.POSITIVE))
    @FUZZ_SETTINGS
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_invalid_requests_are_refused_without_a_server_error(contract, method: str, path: str) -> None:
    @given(case=contract[path][method].as_strategy(GenerationMode.NEGATIVE))
    @FUZZ_SETTINGS
    def run(case) -> None:
        response = case.call()
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code >= 400:
            assert set(json.loads(response.content)) == {"status", "error"}

    try:
        run()
    except Unsatisfiable:
        pytest.skip("the contract leaves no invalid input to send (e.g. only a free-form path segment)")
