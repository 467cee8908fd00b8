"""OCPP 2.1 station→CSMS handlers: the 2.0.1 handlers, checked against the `ocpp` package's 2.1 schemas.

2.1 extends 2.0.1's messages with optional fields, so each 2.0.1 handler answers its 2.1 message too; messages
new in 2.1 are not handled yet (routing answers NotImplemented).
"""
from __future__ import annotations

from handlers.routing import Routes
from protocol.validation import schema_validator
from handlers.v201 import routes as v201_routes

routes = Routes("2.1")

for _action, _handler in v201_routes.handlers.items():
    if schema_validator(2, _action, "2.1") is not None:
        routes.on(_action)(_handler)
