"""Hypothesis strategies from the `ocpp` package's JSON schemas: valid-but-odd payloads of any OCPP action, and the
frames a broken or hostile station sends. The schemas use a small Draft-4 subset, all of it handled here."""
from __future__ import annotations

import datetime
import json
from typing import Any

from hypothesis import strategies as st
from ocpp.messages import MessageType

from protocol.validation import known_actions, schema_validator

INT32 = 2**31 - 1
# Unicode text without lone surrogates (they are not UTF-8: tested apart) nor NUL.
TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TIMES = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2), max_value=datetime.datetime(2099, 12, 31),
    timezones=st.just(datetime.timezone.utc),
).map(lambda moment: moment.isoformat().replace("+00:00", "Z"))


def payloads(action: str, version: str, message_type: int = MessageType.Call) -> st.SearchStrategy[dict]:
    """Payloads of `action` that its schema accepts, with odd text, numbers at their bounds and optional parts."""
    validator = schema_validator(message_type, action, version)
    assert validator is not None, (action, version)
    schema = json.loads(json.dumps(validator.schema, default=float))
    return _strategy(schema, schema.get("definitions", {}))


def _strategy(node: dict[str, Any], definitions: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        return st.deferred(lambda: _strategy(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions))
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        return _object(node, definitions)
    if kind == "array":
        items = _strategy(node.get("items", {}), definitions)
        return st.lists(items, min_size=node.get("minItems", 0), max_size=min(node.get("maxItems", 3), 3))
    if kind == "string":
        return TIMES if node.get("format") == "date-time" else st.text(TEXT, max_size=node.get("maxLength", 50))
    if kind == "integer":
        return st.integers(max(node.get("minimum", -INT32), -INT32), min(node.get("maximum", INT32), INT32))
    if kind == "number":
        if "multipleOf" in node:  # the 1.6 decimals: whole tenths
            return st.integers(0, 10**6).map(lambda tenths: tenths / 10)
        low, high = node.get("minimum", -1e12), node.get("maximum", 1e12)
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return st.none()  # an untyped property (customData's extras)


def _object(node: dict[str, Any], definitions: dict[str, Any]) -> st.SearchStrategy[dict]:
    properties = node.get("properties", {})
    required = set(node.get("required", []))
    fixed = {name: _strategy(schema, definitions) for name, schema in properties.items() if name in required}
    optional = {name: _strategy(schema, definitions) for name, schema in properties.items()
                if name not in required and name != "customData"}
    return st.fixed_dictionaries(fixed, optional=optional)


def station_actions(version: str, routes: dict[str, Any]) -> list[str]:
    """The actions a station may send that the CSMS answers, sorted."""
    return sorted(action for action in routes if action in known_actions(version))


def ids() -> st.SearchStrategy[str]:
    return st.text(TEXT, min_size=1, max_size=36)


def garbage() -> st.SearchStrategy[str]:
    """Text that is no well-formed OCPP-J frame: random JSON, wrong message types and shapes, deep nesting."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(TEXT, max_size=20)
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(TEXT, max_size=8), inner, max_size=4), max_leaves=12)
    frames = st.one_of(
        values.map(json.dumps),
        st.tuples(st.integers(-3, 9), ids(), values).map(lambda parts: json.dumps(list(parts))),
        st.tuples(st.just(2), ids(), st.text(TEXT, max_size=40), values).map(lambda parts: json.dumps(list(parts))),
        st.tuples(st.sampled_from([3, 4]), ids(), values).map(lambda parts: json.dumps(list(parts))),
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
        st.text(TEXT, max_size=60),
        st.sampled_from(['[2,"x","Heartbeat",{"a":"\\ud800"}]', "[2,\"x\",\"Heartbeat\",{}", "[1e400]",
                         '[2,"y","Heartbeat",{}] trailing', "[3,\"nobody-called\",{}]"]),
    )
    return frames
