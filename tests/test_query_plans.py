"""The lookups of the API and the station handlers run on an index: every statement they run, traced, is explained."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Iterator

import pytest

from storage import (
    Store,
    database,
    stations,
    tokens,
    transactions,
    transactions_v16,
)
from storage.database import JsonPage

NOW = "2026-01-01T00:00:00.000Z"


@pytest.fixture
def traced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, list[str]]]:
    """A store whose connections record every statement they run (with its parameters spelled in)."""
    statements: list[str] = []
    connect = database._connect

    def recording(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(database, "_connect", recording)
    store = Store(tmp_path / "plans.sqlite3")
    yield store, statements
    store.close()


def full_scans(store: Store, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) for every step that reads a whole table or index."""
    db = sqlite3.connect(store.path)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = []
        for sql in statements:
            if not re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", sql, re.I):
                continue
            for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"):
                words = row[3].split()
                if words[0] == "SCAN" and words[1] in tables:
                    found.append((sql, row[3]))
        return found
    finally:
        db.close()


def test_a_token_is_found_by_its_normalised_contract_id_on_an_index(traced) -> None:
    store, statements = traced
    tokens.save_token(store, {"uid": "T1", "type": "eMAID", "contract_id": "NL-TNM-C00122045-K", "valid": True})
    statements.clear()
    assert tokens.find_token_by_contract(store, "NLTNM C00122045K")["uid"] == "T1"
    assert tokens.find_token_by_contract(store, "NL-XXX-C00000000-X") is None
    assert any("upper(replace" in sql for sql in statements)
    assert full_scans(store, statements) == []


def test_transaction_reads_of_the_api_use_indexes(traced) -> None:
    store, statements = traced
    store.write(lambda db: db["transactions"].insert({"cs_id": "CS1", "transaction_id": "7", "status": "active"}))
    statements.clear()
    page = JsonPage({"value": "value"}, 5, 10)
    assert transactions.get_transaction(store, "7", None, page)["meter_values_json"] == "[]"
    assert transactions.get_transaction(store, "7", "CS1", page) is not None
    assert transactions.get_meter_values(store, "7", None, page) == "[]"
    assert transactions.list_transactions(store, "CS1", 0, 20)
    assert full_scans(store, statements) == []


def test_the_16_transaction_checks_use_indexes(traced) -> None:
    store, statements = traced
    transactions_v16.start_transaction(store, "CS1", 1, "TAG", 0, NOW, "Accepted", None)
    assert not transactions_v16.is_charging_elsewhere(store, "TAG", "CS1", 1)
    assert full_scans(store, statements) == []


def test_deleting_a_station_finds_its_rows_on_indexes(traced) -> None:
    store, statements = traced
    stations.save_station_auth(store, "CS1", {"security_profile": 0})
    statements.clear()
    assert stations.delete_station(store, "CS1")
    assert any(sql.startswith("DELETE FROM [device_model]") for sql in statements)
    assert full_scans(store, statements) == []
