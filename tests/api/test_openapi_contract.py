"""openapi.yaml is the contract: the app's generated spec must have the same paths, methods, codes, required fields and enums."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

CONTRACT = Path(__file__).resolve().parents[2] / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")
SEED_OPERATIONS = {
    ("post", "/cs/{}"): "registerChargeStation",
    ("post", "/cs/{}/reconfigure"): "reconfigureChargeStation",
    ("post", "/cs/{}/certificates"): "installChargeStationCertificates",
    ("get", "/cs/{}/auth"): "lookupChargeStationAuth",
    ("post", "/cs/{}/trigger"): "triggerChargeStation",
    ("post", "/cs/{}/setchargingprofile"): "setChargingProfile",
    ("post", "/token"): "setToken",
    ("get", "/token"): "listTokens",
    ("get", "/token/{}"): "lookupToken",
    ("post", "/certificate"): "uploadCertificate",
    ("get", "/certificate/{}"): "lookupCertificate",
    ("delete", "/certificate/{}"): "deleteCertificate",
    ("post", "/register"): "registerParty",
    ("post", "/location/{}"): "registerLocation",
}


class Spec:
    """An OpenAPI document with $ref and allOf resolved for comparison."""

    def __init__(self, document: dict[str, Any], prefix: str = "") -> None:
        self.document = document
        self.operations: dict[tuple[str, str], dict[str, Any]] = {}
        for path, item in document["paths"].items():
            normalised = re.sub(r"\{[^}]+\}", "{}", path.removeprefix(prefix))
            for method in METHODS:
                if method in item:
                    operation = dict(item[method])
                    operation["parameters"] = [self.resolve(p) for p in item.get("parameters", [])] + [
                        self.resolve(p) for p in item[method].get("parameters", [])
                    ]
                    self.operations[(method, normalised)] = operation

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def shape(self, schema: Any, where: str = "") -> Iterator[tuple[str, str, Any]]:
        """(location, kind, value) facts of a schema: required names, enums, types of nested objects."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return
        if "allOf" in schema:
            merged: dict[str, Any] = {"properties": {}, "required": []}
            for part in schema["allOf"]:
                part = self.resolve(part)
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            schema = merged
        if schema.get("required"):
            yield where, "required", frozenset(schema["required"])
        if "enum" in schema:
            yield where, "enum", frozenset(value for value in schema["enum"] if value is not None)
        for name, child in schema.get("properties", {}).items():
            yield from self.shape(child, f"{where}.{name}")
        if "items" in schema:
            yield from self.shape(schema["items"], f"{where}[]")

    def request_shape(self, operation: dict[str, Any]) -> set[tuple[str, str, Any]]:
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        return set(self.shape(body.get("schema"))) if body else set()

    def response_shape(self, operation: dict[str, Any]) -> set[tuple[str, str, Any]]:
        ok = next((self.resolve(r) for code, r in operation["responses"].items() if code.startswith("2")), {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema")
        return set(self.shape(schema)) if schema else set()

    @staticmethod
    def query(operation: dict[str, Any]) -> dict[str, tuple[bool, Any]]:
        return {
            p["name"]: (p.get("required", False), tuple(p["schema"].get("enum", ())))
            for p in operation["parameters"]
            if p["in"] == "query"
        }


@pytest.fixture(scope="module")
def contract() -> Spec:
    return Spec(yaml.safe_load(CONTRACT.read_text()))


@pytest.fixture
def generated(client) -> Spec:
    return Spec(client.get("/api/v0/openapi.json").get_json(), prefix="/api/v0")


def test_contract_is_openapi_303_with_the_api_base_path(contract: Spec) -> None:
    assert contract.document["openapi"] == "3.0.3"
    assert contract.document["servers"] == [{"url": "/api/v0"}]


def test_every_seed_operation_is_in_the_contract_with_its_operation_id(contract: Spec) -> None:
    for key, operation_id in SEED_OPERATIONS.items():
        assert contract.operations[key]["operationId"] == operation_id


def test_same_paths_and_methods(contract: Spec, generated: Spec) -> None:
    assert sorted(generated.operations) == sorted(contract.operations)


def test_same_operation_ids_and_status_codes(contract: Spec, generated: Spec) -> None:
    for key, operation in contract.operations.items():
        mine = generated.operations[key]
        assert mine.get("operationId") == operation["operationId"], key
        assert set(mine["responses"]) == set(operation["responses"]), key


def test_same_request_bodies(contract: Spec, generated: Spec) -> None:
    for key, operation in contract.operations.items():
        assert generated.request_shape(generated.operations[key]) == contract.request_shape(operation), key


def test_same_success_bodies(contract: Spec, generated: Spec) -> None:
    for key, operation in contract.operations.items():
        assert generated.response_shape(generated.operations[key]) == contract.response_shape(operation), key


def test_same_query_parameters(contract: Spec, generated: Spec) -> None:
    for key, operation in contract.operations.items():
        assert Spec.query(generated.operations[key]) == Spec.query(operation), key


def test_app_serves_the_contract_verbatim(client) -> None:
    response = client.get("/api/v0/openapi.yaml")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == CONTRACT.read_text()
