"""The versions endpoint and each version's details: where every module of ours is."""
from __future__ import annotations

from flask import Blueprint, Response

from ocpi.context import MODULES, VERSIONS, current
from ocpi.envelope import ok

blp = Blueprint("versions", __name__)


@blp.get("/ocpi/versions")
def list_versions() -> Response:
    context = current()
    return ok([{"version": version, "url": f"{context.base_url}/{version}"} for version in VERSIONS])


@blp.get("/ocpi/<any('2.2.1', '2.2'):version>")
def version_details(version: str) -> Response:
    context = current()
    endpoints = [
        {"identifier": module, "role": role, "url": context.module_url(version, module)} for module, role in MODULES.items()
    ]
    return ok({"version": version, "endpoints": endpoints})
