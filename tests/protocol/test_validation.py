"""The compiled fast validators give the `ocpp` package's verdicts on a corpus built from every schema."""
from __future__ import annotations

import copy
import decimal
import itertools
import json
import os
from typing import Any, Iterator

import ocpp
import pytest
from jsonschema.exceptions import best_match

from protocol.validation import _DECIMAL_ACTIONS_16, _fast_validator, schema_validator

SCHEMA_DIRS = {"1.6": "v16", "2.0.1": "v201"}


def _schemas() -> Iterator[tuple[str, int, str]]:
    base = os.path.dirname(ocpp.__file__)
    for version, folder in SCHEMA_DIRS.items():
        for name in sorted(os.listdir(os.path.join(base, folder, "schemas"))):
            stem = name.removesuffix(".json")
            if stem.endswith("Response"):
                yield version, 3, stem.removesuffix("Response")
            else:
                yield version, 2, stem.removesuffix("Request")


def _example(schema: dict, definitions: dict, full: bool) -> Any:
    if "$ref" in schema:
        return _example(definitions[schema["$ref"].split("/")[-1]], definitions, full)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        names = schema.get("properties", {}) if full else schema.get("required", [])
        return {name: _example(schema["properties"][name], definitions, full) for name in names}
    if kind == "array":
        return [_example(schema["items"], definitions, full)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if schema.get("format") == "date-time":
        return "2026-11-27T10:00:00Z"
    return "x" * min(3, schema.get("maxLength", 3))


def _mutations(payload: Any) -> Iterator[Any]:
    """Each payload with one thing broken: a key dropped, a wrong type, an extra key, an over-long string."""
    if isinstance(payload, dict):
        yield {**payload, "unexpectedProperty": 1}
        for key, value in payload.items():
            yield {k: v for k, v in payload.items() if k != key}
            for wrong in (None, "text" if not isinstance(value, str) else 12345, "y" * 2000, -5, 1.25, 1.0, 2**70, [], {}):
                yield {**payload, key: wrong}
            for inner in itertools.islice(_mutations(value), 40):
                yield {**payload, key: inner}
    elif isinstance(payload, list) and payload:
        for inner in itertools.islice(_mutations(payload[0]), 40):
            yield [inner]
        yield []


CASES = list(_schemas())


@pytest.mark.parametrize("version, message_type_id, action", CASES, ids=[f"{v}-{t}-{a}" for v, t, a in CASES])
def test_fast_validator_never_accepts_what_the_package_rejects(version, message_type_id, action):
    stock = schema_validator(message_type_id, action, version)
    fast = _fast_validator(message_type_id, action, version)
    assert stock is not None and fast is not None
    definitions = stock.schema.get("definitions", {})
    corpus = [_example(stock.schema, definitions, full) for full in (False, True)]
    corpus += [mutated for payload in list(corpus) for mutated in _mutations(copy.deepcopy(payload))]
    decimal_floats = version == "1.6" and (message_type_id, action) in _DECIMAL_ACTIONS_16
    parse_float = decimal.Decimal if decimal_floats else float
    for payload in corpus:
        as_stock_reads_it = json.loads(json.dumps(payload), parse_float=parse_float)
        stock_rejects = best_match(stock.iter_errors(as_stock_reads_it)) is not None
        fast_rejects = not fast(payload)
        assert not (stock_rejects and not fast_rejects), f"fast accepted {payload!r}"
