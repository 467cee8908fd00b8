"""Calling OCPP 2.0.1 handlers through the real routing (schema checks both ways) on a real Store."""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

from config import Config
from handlers.routing import CallContext
from protocol.station_log import StationLog
from handlers.v201 import routes
from storage import Store

CS_ID = "CS201"
_message_ids = itertools.count(1)

Call = Callable[..., dict]


def add_station(store: Store, cs_id: str = CS_ID) -> None:
    """A registered station row, as POST /cs/{csId} would leave it."""
    store.write(lambda db: db["stations"].insert({"id": cs_id, "security_profile": 0}))


def caller(store: Store, config: Config | None = None) -> Call:
    """call(action, payload, cs_id=CS_ID) -> the CALLRESULT payload; OCPPErrors propagate."""
    config = config or Config(db_path=store.path)

    def call(action: str, payload: dict[str, Any], cs_id: str = CS_ID) -> dict:
        ctx = CallContext(
            cs_id=cs_id,
            message_id=str(next(_message_ids)),
            action=action,
            ocpp_version="2.0.1",
            store=store,
            config=config,
            log=StationLog(logging.getLogger("tests.v201"), {"cs_id": cs_id}),
        )
        return routes.handle_call(ctx, payload)

    return call


def rows(store: Store, table: str, where: str = "1 = 1", args: list | None = None) -> list[dict[str, Any]]:
    return store.read(lambda db: list(db[table].rows_where(where, args or [], order_by="rowid")))


def energy(value: float, timestamp: str, unit: str = "Wh", multiplier: int = 0, **extra: Any) -> dict:
    """A meterValue with one Energy.Active.Import.Register sample."""
    unit_of_measure = {"unit": unit} | ({"multiplier": multiplier} if multiplier else {})
    sample = {"value": value, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": unit_of_measure}
    return {"timestamp": timestamp, "sampledValue": [sample | extra]}
