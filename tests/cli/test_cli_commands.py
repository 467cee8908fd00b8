"""Each CLI command against a live server (or a temp database file): its output and its exit code."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests.api.conftest import make_pem
from tests.conftest import ROOT, LiveServer, password_hash


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer.start(tmp_path_factory.mktemp("cli"))
    yield live
    live.stop()


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python app.py ARGS` as a user runs it."""
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=timeout, env=os.environ | (env or {}), cwd=ROOT)


def api_cli(server: LiveServer, *args: str) -> subprocess.CompletedProcess:
    return cli(*args, "--api", server.api_url)


def read_json(server: LiveServer, *args: str) -> object:
    result = api_cli(server, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_help_lists_every_command():
    result = cli("--help")
    assert result.returncode == 0
    for name in ("serve", "station", "token", "certificate", "auth", "emaid", "transaction", "command", "pki",
                 "backup", "db", "simulate", "encode-password", "ca-certificate"):
        assert re.search(rf"^  {name}\*? ", result.stdout, re.M), name


def test_station_register_list_show_delete(server):
    registered = api_cli(server, "station", "register", "cli-cs1", "--password", "secret-password-1")
    assert (registered.returncode, registered.stdout.strip()) == (0, "registered cli-cs1 (security profile 0)")
    assert "cli-cs1" in [row["id"] for row in read_json(server, "station", "list")]
    shown = api_cli(server, "station", "show", "cli-cs1")
    assert shown.returncode == 0 and "cli-cs1" in shown.stdout and "profile" in shown.stdout
    auth = server.api("GET", "/cs/cli-cs1/auth").json()
    assert auth["base64SHA256Password"] == password_hash("secret-password-1")
    assert api_cli(server, "station", "delete", "cli-cs1").stdout.strip() == "deleted cli-cs1"
    gone = api_cli(server, "station", "show", "cli-cs1")
    assert gone.returncode == 1 and gone.stderr.strip() == "Error: GET /cs/cli-cs1: 404 unknown charge station 'cli-cs1'"


def test_token_set_show_list_delete(server):
    created = api_cli(server, "token", "set", "CLITAG", "--contract-id", "GB-TWK-012345678-V", "--group-id", "G1")
    assert (created.returncode, created.stdout.strip()) == (0, "token CLITAG set")
    token = read_json(server, "token", "show", "CLITAG")
    assert (token["countryCode"], token["partyId"], token["groupId"], token["valid"]) == ("GB", "TWK", "G1", True)
    assert "CLITAG" in api_cli(server, "token", "list").stdout
    assert api_cli(server, "token", "delete", "CLITAG").returncode == 0
    assert api_cli(server, "token", "delete", "CLITAG").returncode == 1
    refused = api_cli(server, "token", "set", "X", "--contract-id", "not-an-emaid")
    assert refused.returncode == 2 and "--contract-id" in refused.stderr


def test_certificate_hash_upload_list_delete(server, tmp_path):
    pem_file = tmp_path / "cert.pem"
    pem_file.write_text(make_pem("cli-cert"))
    offline = cli("certificate", "hash", str(pem_file))
    uploaded = api_cli(server, "certificate", "upload", str(pem_file))
    assert offline.returncode == uploaded.returncode == 0 and offline.stdout == uploaded.stdout
    digest = offline.stdout.strip()
    listed = read_json(server, "certificate", "list")
    assert [row["subject"] for row in listed if row["certificateHash"] == digest] == ["O=Test,CN=cli-cert"]
    assert api_cli(server, "certificate", "delete", digest).returncode == 0
    missing = cli("certificate", "hash", str(tmp_path / "nope.pem"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_auth_encode_password_and_generate_credential(server):
    assert cli("auth", "encode-password", "pw").stdout.strip() == password_hash("pw")
    assert cli("encode-password", "pw").stdout.strip() == password_hash("pw")  # the old name
    password = cli("auth", "generate-credential").stdout
    assert password.strip().isalnum() and len(password.strip()) == 32 and password.count("\n") == 1
    key = cli("auth", "generate-credential", "--version", "1.6").stdout.strip()
    assert len(key) == 40 and int(key, 16) >= 0
    server.register("cli-cred")
    sent = api_cli(server, "auth", "generate-credential", "--station", "cli-cred")
    assert sent.returncode == 0 and "queued for cli-cred" in sent.stderr
    [command] = server.api("GET", "/cs/cli-cred/commands").json()
    assert command["params"] == {"SecurityCtrlr/BasicAuthPassword": "********"}  # masked: it is a password


def test_emaid_normalize_and_validate():
    normalised = cli("emaid", "normalize", "gb-twk-012345678", "GB-TWK-012345678-V")
    assert (normalised.returncode, normalised.stdout.split()) == (0, ["GBTWK012345678V", "GBTWK012345678V"])
    valid = cli("emaid", "validate", "GB-TWK-012345678-V")
    assert (valid.returncode, valid.stdout.strip()) == (0, "GB-TWK-012345678-V: valid (GBTWK012345678V)")
    wrong = cli("emaid", "validate", "GB-TWK-012345678-X", "GB-TWK-012345678-V")
    assert wrong.returncode == 1 and "GB-TWK-012345678-X: invalid: emaid check digit X" in wrong.stdout
    assert cli("emaid", "normalize", "nonsense").returncode == 1


def test_transactions_and_commands_after_a_simulated_charge(server, tmp_path):
    simulated = api_cli(server, "simulate", "--url", server.ws_url, "--stations", "1", "--id-prefix", "cli-sim",
                        "--duration", "1")
    assert simulated.returncode == 0, simulated.stdout + simulated.stderr
    assert "1/1 stations completed, 1 sessions" in simulated.stdout
    [listed] = read_json(server, "transaction", "list", "--station", "cli-sim1")
    assert listed["status"] == "ended" and listed["energy"] > 0
    shown = api_cli(server, "transaction", "show", listed["transactionId"])
    assert shown.returncode == 0 and "Energy.Active.Import.Register" in shown.stdout
    exported = tmp_path / "transactions.csv"
    assert api_cli(server, "transaction", "export", "--station", "cli-sim1", "-o", str(exported)).returncode == 0
    [row] = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert (row["transactionId"], row["csId"], row["status"]) == (listed["transactionId"], "cli-sim1", "ended")
    queued = read_json(server, "command", "send", "cli-sim1", "GetConfiguration", '{"key": ["HeartbeatInterval"]}')
    assert (queued["params"]["action"], queued["status"]) == ("GetConfiguration", "pending")
    assert [c["id"] for c in read_json(server, "command", "list", "cli-sim1")] == [queued["id"]]
    assert read_json(server, "command", "show", "cli-sim1", str(queued["id"]))["operation"] == "call"
    assert api_cli(server, "command", "send", "cli-sim1", "GetConfiguration", "{oops").returncode == 2


def test_pki_export_issue_revoke_list(server, tmp_path):
    exported = api_cli(server, "pki", "export-ca")
    assert exported.returncode == 0 and exported.stdout.startswith("-----BEGIN CERTIFICATE-----")
    assert exported.stdout == server.api("GET", "/pki/ca").text
    server.register("cli-pki")
    assert api_cli(server, "pki", "list", "cli-pki").stdout.strip() == "no certificates issued to cli-pki"
    asked = api_cli(server, "pki", "issue", "--station", "cli-pki")
    [trigger] = server.api("GET", "/cs/cli-pki/commands").json()
    assert asked.returncode == 0 and trigger["params"] == {"trigger": "SignChargingStationCertificate"}
    assert api_cli(server, "pki", "issue").returncode == 2
    refused = api_cli(server, "pki", "revoke", "ABCDEF", "--station", "cli-pki")
    assert refused.returncode == 1 and "404" in refused.stderr


def test_backup_copies_a_served_database(server, tmp_path):
    target = tmp_path / "backup.sqlite3"
    result = cli("backup", str(target), env={"CSMS_DB": str(server.output.parent / "live.sqlite3")})
    assert result.returncode == 0 and result.stdout.startswith("backed up")
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM stations").fetchone()[0] >= 0


def test_backup_to_an_unwritable_path_says_so_and_leaves_the_database_alone(tmp_path):
    db_file = tmp_path / "db.sqlite3"
    env = {"CSMS_DB": str(db_file)}
    assert cli("db", "migrate", env=env).returncode == 0
    before = db_file.read_bytes()
    result = cli("backup", "/proc/csms-backup.sqlite3", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: cannot write /proc/csms-backup.sqlite3") and "Traceback" not in result.stderr
    assert db_file.read_bytes() == before
    missing = cli("backup", str(tmp_path / "b.sqlite3"), env={"CSMS_DB": str(tmp_path / "none.sqlite3")})
    assert missing.returncode == 1 and "no database at" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_db_migrate_and_check(tmp_path):
    env = {"CSMS_DB": str(tmp_path / "new.sqlite3")}
    first = cli("db", "migrate", env=env)
    assert first.returncode == 0 and "applied m001_initial" in first.stdout
    assert cli("db", "migrate", env=env).stdout.strip().endswith("up to date")
    checked = cli("db", "check", "--json", env=env)
    assert checked.returncode == 0
    assert json.loads(checked.stdout) | {"database": ""} == {
        "database": "", "integrity": ["ok"], "foreignKeyViolations": 0, "pendingMigrations": [], "ok": True}
    assert cli("db", "check", env={"CSMS_DB": str(tmp_path / "none.sqlite3")}).returncode == 1


@pytest.mark.parametrize("api, message", [
    ("http://127.0.0.1:1/api/v0", "cannot reach the API at http://127.0.0.1:1/api/v0"),
    ("not-a-url", "not an http(s) URL: not-a-url"),
])
def test_an_unreachable_server_is_one_line_and_exit_1(api, message):
    result = cli("station", "list", "--api", api)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1


def test_usage_errors_exit_2():
    assert cli("station", "frobnicate").returncode == 2
    assert cli("station", "list", "--limit", "1000").returncode == 2


def test_the_api_token_is_sent(tmp_path):
    guarded = LiveServer.start(tmp_path, {"CSMS_API_TOKEN": "s3cret"})
    try:
        refused = cli("station", "list", "--api", guarded.api_url, env={"CSMS_API_TOKEN": "wrong"})
        assert refused.returncode == 1 and "401" in refused.stderr
        allowed = cli("station", "list", "--api", guarded.api_url, env={"CSMS_API_TOKEN": "s3cret"})
        assert (allowed.returncode, allowed.stdout.strip()) == (0, "no stations")
    finally:
        guarded.stop()


def test_ca_certificate_reads_the_files_directly(tmp_path: Path):
    result = cli("ca-certificate", env={"CSMS_DB": str(tmp_path / "db.sqlite3")})
    assert result.returncode == 0 and result.stdout.startswith("-----BEGIN CERTIFICATE-----")
