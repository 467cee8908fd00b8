"""Writes survive a new app and Store on the same file; an empty file is migrated to the full schema."""
from __future__ import annotations

from pathlib import Path

from app import create_app
from config import Config
from storage import Store
from storage.migrations import migrations

from tests.api.conftest import API

TOKEN = {"countryCode": "GB", "partyId": "TWK", "type": "RFID", "uid": "T1", "contractId": "GBTWK012345678",
         "issuer": "x", "valid": True, "cacheMode": "ALWAYS"}  # fmt: skip


def test_everything_written_is_there_after_a_restart(db_path: Path, pem: str) -> None:
    first = Store(db_path)
    client = create_app(Config(db_path=db_path), first).test_client()
    assert client.post(f"{API}/cs/cs1", json={"securityProfile": 1}).status_code == 201
    assert client.post(f"{API}/cs/cs1/trigger", json={"trigger": "BootNotification"}).status_code == 200
    assert client.post(f"{API}/token", json=TOKEN).status_code == 201
    assert client.post(f"{API}/certificate", json={"certificate": pem}).status_code == 201
    assert client.post(f"{API}/register", json={"token": "abc"}).status_code == 201
    first.close()

    second = Store(db_path)
    try:
        client = create_app(Config(db_path=db_path), second).test_client()
        assert client.get(f"{API}/cs/cs1/auth").get_json()["securityProfile"] == 1
        assert [c["operation"] for c in client.get(f"{API}/cs/cs1/commands").get_json()] == ["trigger"]
        assert client.get(f"{API}/token/T1").get_json()["contractId"] == "GBTWK012345678V"
        assert client.post(f"{API}/register", json={"token": "abc"}).status_code == 400
    finally:
        second.close()


def test_an_empty_file_is_migrated_to_every_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    store = Store(path)
    try:
        tables = set(store.read(lambda db: db.table_names()))
        applied = store.read(lambda db: [m.name for m in migrations.applied(db)])
        pending = store.read(lambda db: migrations.pending(db))
    finally:
        store.close()
    assert {"stations", "connectors", "tokens", "certificates", "station_certificates", "station_settings",
            "ocpi_parties", "locations", "commands", "transactions", "meter_values"} <= tables  # fmt: skip
    assert applied[0] == "m001_initial"
    assert pending == []
