"""Sampled meter values of both OCPP versions, one row per sampledValue."""
from __future__ import annotations

from typing import Any, Iterable

import sqlite_utils

from storage.database import JsonPage, Store, insert_values, select_json_array

# The columns of a sampled_value_row (handlers/meter_values.py), then the link every row of one message shares.
VALUE_COLUMNS = (
    "timestamp", "value", "value_number", "context", "format", "measurand", "phase", "location", "unit", "signed_data",
)
COLUMNS = VALUE_COLUMNS + ("cs_id", "evse_id", "connector_id", "transaction_id")


def insert_meter_values(
    db: sqlite_utils.Database,
    cs_id: str,
    rows: Iterable[dict[str, Any]],
    evse_id: int | None = None,
    connector_id: int | None = None,
    transaction_id: str | None = None,
) -> None:
    """Inside a write job: insert parsed sampled-value rows for one station, EVSE and transaction."""
    link = (cs_id, evse_id, connector_id, transaction_id)
    insert_values(db, "meter_values", COLUMNS, [tuple(map(row.get, VALUE_COLUMNS)) + link for row in rows])


def add_meter_values(
    store: Store,
    cs_id: str,
    rows: list[dict[str, Any]],
    evse_id: int | None = None,
    connector_id: int | None = None,
    transaction_id: str | None = None,
) -> None:
    """Store parsed sampled-value rows durably."""
    if rows:
        store.write(lambda db: insert_meter_values(db, cs_id, rows, evse_id, connector_id, transaction_id))


# The page's first id found on the covering index, then the page itself: half the time of a plain OFFSET, which also
# read the table row of every value skipped (4.6 against 10 ms at an offset of 150,000, all of it inside SQLite).
_PAGE_SQL = (
    "SELECT * FROM meter_values WHERE cs_id = ? AND transaction_id = ? AND id >= ("
    " SELECT id FROM meter_values WHERE cs_id = ? AND transaction_id = ? ORDER BY id LIMIT 1 OFFSET ?)"
    " ORDER BY id LIMIT ?"
)


def page_json(db: sqlite_utils.Database, cs_id: str, transaction_id: str, page: JsonPage) -> str:
    """Inside a read: a page of the transaction's meter values, oldest first, as a JSON array of `page.fields`."""
    params = [cs_id, transaction_id, cs_id, transaction_id, page.offset, page.limit]
    return select_json_array(db, _PAGE_SQL, params, page.fields)


MAX_CHART_ROWS = 100_000
_SERIES_SQL = (
    "SELECT timestamp, measurand, value_number, unit FROM meter_values WHERE cs_id = ? AND transaction_id = ?"
    " AND coalesce(measurand, 'Energy.Active.Import.Register') IN ('Energy.Active.Import.Register', 'Power.Active.Import')"
    " AND phase IS NULL AND value_number IS NOT NULL ORDER BY id LIMIT ?"
)


def energy_and_power(store: Store, cs_id: str, transaction_id: str) -> list[tuple[str, str | None, float, str | None]]:
    """(timestamp, measurand, value, unit) of the transaction's whole-station energy register and power readings,
    oldest first (at most MAX_CHART_ROWS), off the event loop."""
    params = [cs_id, transaction_id, MAX_CHART_ROWS]
    return store.read_off_hub(lambda db: [tuple(row) for row in db.execute(_SERIES_SQL, params)])


def list_for_export(store: Store, cs_id: str, transaction_id: str, limit: int = 1_000_000) -> list[dict[str, Any]]:
    """Every sampled value of the transaction, oldest first (at most `limit`), off the event loop."""
    sql = f"SELECT {', '.join(VALUE_COLUMNS)} FROM meter_values WHERE cs_id = ? AND transaction_id = ? ORDER BY id LIMIT ?"
    return store.read_off_hub(lambda db: [dict(row) for row in db.query(sql, [cs_id, transaction_id, limit])])
