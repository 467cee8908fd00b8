"""Marshmallow schemas of the management API, one module per api/ module; names and enums as in openapi.yaml."""
