"""Schemathesis' stateful fuzzing over openapi.yaml's links: sequences such as register a station → reset it → read
the command, or set a token → read it, with generated data; never a 5xx, every answer as the contract says."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from storage import station_runtime
from tests.api.test_fuzz import CHECKS


def test_sequences_of_linked_operations_keep_to_the_contract(app, store):
    client = app.test_client()
    for cs_id, version in (("cs001", "1.6"), ("cs002", "2.0.1")):
        client.post(f"/api/v0/cs/{cs_id}", json={"securityProfile": 0})
        station_runtime.mark_connected(store, cs_id, version, None)
    machine = schemathesis.openapi.from_wsgi("/api/v0/openapi.yaml", app).as_state_machine()

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def validate_response(self, response, case, additional_checks=None, **kwargs):  # noqa: ANN001, ANN201
            # The contract's own checks; "schema-valid data must be accepted" is left out: a body can fit the schema
            # and still be refused on meaning (an eMAID's check digit, a station that does not exist).
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Workflow.TestCase.settings = settings(
        max_examples=60, stateful_step_count=8, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    Workflow.TestCase().runTest()
