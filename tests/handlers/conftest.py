"""Fixtures for handler tests: a registered station and a `call` that runs a CALL through our real routing."""
from __future__ import annotations

import itertools
import logging
from typing import Callable

import pytest

import handlers
from config import Config
from handlers.routing import CallContext
from protocol.station_log import StationLog
from storage import Store, utc_now_iso

CS_ID = "CS-HANDLER-1"
_message_ids = itertools.count(1)


@pytest.fixture
def station(store: Store) -> str:
    now = utc_now_iso()
    store.write(
        lambda db: db["stations"].insert(
            {"id": CS_ID, "security_profile": 0, "invalid_username_allowed": 0, "created_at": now, "updated_at": now}
        )
    )
    return CS_ID


def add_token(store: Store, uid: str, valid: bool = True, group_id: str | None = None, cache_mode: str = "ALWAYS") -> None:
    """A token as POST /token stores it."""
    row = {
        "uid": uid,
        "country_code": "GB",
        "party_id": "TWK",
        "type": "RFID",
        "contract_id": f"GBTWK{uid[:9]:0>9}",
        "issuer": "Test",
        "group_id": group_id,
        "valid": int(valid),
        "cache_mode": cache_mode,
        "last_updated": utc_now_iso(),
    }
    store.write(lambda db: db["tokens"].upsert(row, pk="uid"))


def make_caller(store: Store, cs_id: str, version: str, config: Config | None = None) -> Callable[[str, dict], dict]:
    routes = handlers.ROUTES[version]
    config = config or Config(db_path=store.path)

    def call(action: str, payload: dict) -> dict:
        ctx = CallContext(
            cs_id=cs_id,
            message_id=str(next(_message_ids)),
            action=action,
            ocpp_version=version,
            store=store,
            config=config,
            log=StationLog(logging.getLogger("test"), {"cs_id": cs_id}),
        )
        return routes.handle_call(ctx, payload)

    return call


@pytest.fixture
def call16(store: Store, station: str) -> Callable[[str, dict], dict]:
    return make_caller(store, station, "1.6")
