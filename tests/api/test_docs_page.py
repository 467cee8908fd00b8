"""Swagger UI at /api/v0/docs works offline: every script and style it loads is served by the CSMS itself."""
from __future__ import annotations

import re


def test_the_api_docs_load_nothing_from_elsewhere(client) -> None:
    page = client.get("/api/v0/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
