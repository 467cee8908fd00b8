"""Schema steps of the CSMS database, applied in order at start; a released step is never edited."""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("csms")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """The tables of the management API, the gateway, both OCPP versions and the outbox."""
    db["stations"].create(
        {
            "id": str,
            "security_profile": int,
            "password_hash": str,  # base64 SHA-256 of the Basic auth password, as the seed API sends it
            "invalid_username_allowed": int,
            "created_at": str,
            "updated_at": str,
            "ocpp_version": str,  # "1.6" / "2.0.1" once a station has connected
            "connected": int,
            "remote_address": str,
            "connected_at": str,
            "disconnected_at": str,
            "last_seen": str,
            "boot_status": str,
            "boot_at": str,
            "boot_reason": str,
            "vendor": str,
            "model": str,
            "serial_number": str,
            "charge_box_serial_number": str,
            "firmware_version": str,
            "iccid": str,
            "imsi": str,
            "meter_type": str,
            "meter_serial_number": str,
        },
        pk="id",
        not_null={"security_profile", "invalid_username_allowed", "connected"},
        defaults={"invalid_username_allowed": 0, "connected": 0},
    )
    db["connectors"].create(
        {
            "cs_id": str,
            "evse_id": int,
            "connector_id": int,
            "status": str,
            "error_code": str,
            "info": str,
            "vendor_id": str,
            "vendor_error_code": str,
            "station_time": str,  # the timestamp the station sent
            "updated_at": str,
        },
        pk=("cs_id", "evse_id", "connector_id"),
        foreign_keys=[("cs_id", "stations", "id")],
    )
    db["status_history"].create(
        {
            "id": int,
            "cs_id": str,
            "evse_id": int,
            "connector_id": int,
            "status": str,
            "error_code": str,
            "info": str,
            "station_time": str,
            "received_at": str,
        },
        pk="id",
    )
    db["status_history"].create_index(["cs_id", "id"])
    db["tokens"].create(
        {
            "uid": str,
            "country_code": str,
            "party_id": str,
            "type": str,
            "contract_id": str,
            "visual_number": str,
            "issuer": str,
            "group_id": str,
            "valid": int,
            "language_code": str,
            "cache_mode": str,
            "last_updated": str,
        },
        pk="uid",
    )
    db["tokens"].create_index(["contract_id"])
    db["certificates"].create(
        {"hash": str, "pem": str, "subject": str, "not_after": str, "created_at": str},
        pk="hash",  # unpadded base64url SHA-256 of the first certificate's DER
    )
    db["station_certificates"].create(
        {
            "cs_id": str,
            "id": str,  # hex SHA-256 of the DER
            "type": str,
            "pem": str,
            "status": str,
            "command_id": int,
            "updated_at": str,
        },
        pk=("cs_id", "id"),
    )
    db["station_settings"].create(
        {
            "cs_id": str,
            "name": str,
            "value": str,
            "status": str,
            "command_id": int,
            "updated_at": str,
        },
        pk=("cs_id", "name"),
    )
    db["ocpi_parties"].create(
        {
            "id": int,
            "token": str,  # the token the party uses to call us
            "url": str,
            "status": str,
            "role": str,
            "country_code": str,
            "party_id": str,
            "their_token": str,
            "credentials": str,
            "last_error": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db["ocpi_parties"].create_index(["token"], unique=True)
    db["locations"].create(
        {
            "id": str,
            "country_code": str,
            "party_id": str,
            "body": str,  # the OCPI location as JSON
            "updated_at": str,
        },
        pk="id",
    )
    db["commands"].create(
        {
            "id": int,
            "cs_id": str,
            "operation": str,  # what was asked: an OCPP action or one of the seed's operations
            "params": str,  # JSON: what the operation was asked with
            "action": str,  # the OCPP action sent, once resolved for the station's version
            "request": str,  # JSON: the payload sent
            "status": str,  # pending, sent, completed, failed, expired
            "attempts": int,
            "next_attempt_at": str,
            "message_id": str,
            "response": str,  # JSON: the CALLRESULT payload or the CALLERROR
            "origin": str,  # api, provisioning, automatic
            "created_at": str,
            "sent_at": str,
            "completed_at": str,
            "expires_at": str,
        },
        pk="id",
        not_null={"cs_id", "operation", "status"},
        defaults={"attempts": 0},
    )
    db["commands"].create_index(["cs_id", "status", "id"])
    db["transactions"].create(
        {
            "cs_id": str,
            "transaction_id": str,
            "evse_id": int,
            "connector_id": int,
            "id_token": str,
            "id_token_type": str,
            "auth_status": str,
            "started_at": str,
            "stopped_at": str,
            "meter_start": float,
            "meter_stop": float,
            "energy": float,
            "stop_reason": str,
            "status": str,  # active, ended
            "reservation_id": int,
            "remote_start_id": int,
            "charging_state": str,
            "last_seq_no": int,
            "seq_gaps": str,  # JSON list of missing seqNo
            "seq_duplicates": int,
            "offline": int,
            "stop_id_token": str,
            "transaction_data": str,
            "created_at": str,
            "updated_at": str,
        },
        pk=("cs_id", "transaction_id"),
        defaults={"seq_duplicates": 0, "offline": 0},
    )
    db["transactions"].create_index(["started_at"])
    db["transactions"].create_index(["cs_id", "status"])
    db["transaction_events"].create(
        {
            "id": int,
            "cs_id": str,
            "transaction_id": str,
            "event_type": str,
            "seq_no": int,
            "timestamp": str,
            "trigger_reason": str,
            "offline": int,
            "body": str,  # the event as sent
            "received_at": str,
        },
        pk="id",
    )
    db["transaction_events"].create_index(["cs_id", "transaction_id", "seq_no"])
    db["meter_values"].create(
        {
            "id": int,
            "cs_id": str,
            "transaction_id": str,
            "evse_id": int,
            "connector_id": int,
            "timestamp": str,
            "value": str,  # as sent
            "value_number": float,  # parsed, unit multiplier applied
            "context": str,
            "format": str,
            "measurand": str,
            "phase": str,
            "location": str,
            "unit": str,
            "signed_data": str,
        },
        pk="id",
    )
    db["meter_values"].create_index(["cs_id", "transaction_id", "id"])
    db["security_events"].create(
        {
            "id": int,
            "cs_id": str,
            "type": str,
            "timestamp": str,
            "tech_info": str,
            "source": str,  # station or csms
            "received_at": str,
        },
        pk="id",
    )
    db["security_events"].create_index(["cs_id", "id"])
    db["station_messages"].create(
        {
            "id": int,
            "cs_id": str,
            "action": str,  # e.g. DataTransfer, FirmwareStatusNotification, NotifyEvent
            "request_id": int,
            "body": str,
            "received_at": str,
        },
        pk="id",
    )
    db["station_messages"].create_index(["cs_id", "action", "id"])
    db["device_model"].create(
        {
            "cs_id": str,
            "component": str,
            "component_instance": str,
            "evse_id": int,
            "connector_id": int,
            "variable": str,
            "variable_instance": str,
            "attribute_type": str,
            "value": str,
            "mutability": str,
            "persistent": int,
            "constant": int,
            "characteristics": str,
            "updated_at": str,
        },
        pk=(
            "cs_id",
            "component",
            "component_instance",
            "evse_id",
            "connector_id",
            "variable",
            "variable_instance",
            "attribute_type",
        ),
    )


@migrations()
def m002_v201_event_fields(db: sqlite_utils.Database) -> None:
    """OCPP 2.0.1: per-event transaction fields, and the report each device model row came from."""
    for name, kind in (
        ("charging_state", str),
        ("stopped_reason", str),
        ("remote_start_id", int),
        ("evse_id", int),
        ("connector_id", int),
        ("id_token", str),
    ):
        db["transaction_events"].add_column(name, kind)
    db["device_model"].add_column("request_id", int)


@migrations()
def m003_station_auth_changes(db: sqlite_utils.Database) -> None:
    """A log of stations whose credentials changed or that were deleted: the gateway closes their connections.

    Triggers fill it whoever writes (this process, the sqlite3 shell), so the gateway reads only what changed.
    """
    db["station_auth_changes"].create({"id": int, "cs_id": str}, pk="id")
    db.execute(
        "CREATE TRIGGER stations_auth_changed AFTER UPDATE OF security_profile, password_hash,"
        " invalid_username_allowed ON stations"
        " WHEN old.security_profile IS NOT new.security_profile OR old.password_hash IS NOT new.password_hash"
        " OR old.invalid_username_allowed IS NOT new.invalid_username_allowed"
        " BEGIN INSERT INTO station_auth_changes (cs_id) VALUES (new.id); END"
    )
    db.execute(
        "CREATE TRIGGER stations_deleted AFTER DELETE ON stations"
        " BEGIN INSERT INTO station_auth_changes (cs_id) VALUES (old.id); END"
    )


@migrations()
def m004_transaction_energy_readings(db: sqlite_utils.Database) -> None:
    """The first and last energy register readings of a transaction with their times, kept as events arrive."""
    for name, kind in (("meter_start_at", str), ("meter_last", float), ("meter_last_at", str)):
        db["transactions"].add_column(name, kind)


@migrations()
def m005_commands_by_status(db: sqlite_utils.Database) -> None:
    """The outbox's expiry sweep finds open commands by status and age without scanning every command."""
    db["commands"].create_index(["status", "created_at"])


@migrations()
def m006_station_message_commands(db: sqlite_utils.Database) -> None:
    """A status notification remembers the command it reports on (UpdateFirmware, GetLog, GetDiagnostics...)."""
    db["station_messages"].add_column("command_id", int)


@migrations()
def m007_command_secrets(db: sqlite_utils.Database) -> None:
    """A command's params with their passwords, kept apart from the masked params only while it is open."""
    db["commands"].add_column("secrets", str)


@migrations()
def m008_reservations_and_local_lists(db: sqlite_utils.Database) -> None:
    """Reservations (one per station and OCPP reservation id) and what each station's local authorisation list holds;
    both mean something only while their station exists."""
    db["reservations"].create(
        {
            "id": int,
            "cs_id": str,
            "reservation_id": int,  # the OCPP id; a new ReserveNow with the same id replaces the row, as on the station
            "evse_id": int,  # 1.6 connectorId; 0 = the whole station
            "id_token": str,
            "id_token_type": str,  # 2.0.1 only
            "group_id_token": str,  # 1.6 parentIdTag, 2.0.1 groupIdToken
            "expiry_date": str,  # as given
            "expires_at": str,  # the same in UTC, comparable with utc_now_iso()
            "status": str,  # requested, reserved, rejected, failed, cancelled, expired, used, removed
            "station_status": str,  # the station's ReserveNow answer
            "command_id": int,
            "transaction_id": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db["reservations"].create_index(["cs_id", "reservation_id"], unique=True)
    db["reservations"].create_index(["cs_id", "id"])
    db["reservations"].create_index(["status", "expires_at"])
    db["reservations"].create_index(["command_id"])
    db["local_lists"].create(
        {
            "cs_id": str,
            "version": int,  # acknowledged by the station; NULL: unknown
            "entries": str,  # JSON {uid: entry}
            "acknowledged_at": str,
            "reported_version": int,  # its last GetLocalListVersion answer
            "reported_at": str,
            "updated_at": str,
        },
        pk="cs_id",
    )
    for table in ("reservations", "local_lists"):
        db.execute(
            f"CREATE TRIGGER stations_deleted_{table} AFTER DELETE ON stations"
            f" BEGIN DELETE FROM {table} WHERE cs_id = old.id; END"
        )


@migrations()
def m009_lookup_indexes(db: sqlite_utils.Database) -> None:
    """Lookups that scanned a whole table: a transaction by its id alone (the API's detail, 1.6's check that a new id is
    unused), a token's active transactions (1.6 concurrent-transaction check), a token by its normalised eMAID."""
    db["transactions"].create_index(["transaction_id"])
    db["transactions"].create_index(["id_token", "status"])
    # The expression must stay the one storage/tokens.py compares with, or SQLite will not use the index.
    db.execute(
        "CREATE INDEX idx_tokens_contract_id_normalised ON tokens (upper(replace(replace(contract_id, '-', ''), ' ', '')))"
    )


@migrations()
def m010_issued_certificates(db: sqlite_utils.Database) -> None:
    """Certificates the local CA issued to stations, by serial (upper-case hex); revoked ones stay, flagged."""
    db["issued_certificates"].create(
        {
            "serial": str,
            "cs_id": str,
            "certificate_type": str,  # ChargingStationCertificate, V2GCertificate
            "subject": str,
            "not_before": str,
            "not_after": str,
            "revoked_at": str,  # NULL while valid
            "pem": str,
            "created_at": str,
        },
        pk="serial",
    )
    db["issued_certificates"].create_index(["cs_id", "created_at"])
    # A deleted station's certificates must not open the door for a station registered later under its id.
    db.execute(
        "CREATE TRIGGER stations_deleted_issued_certificates AFTER DELETE ON stations"
        " BEGIN UPDATE issued_certificates SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        " WHERE cs_id = old.id AND revoked_at IS NULL; END"
    )


@migrations()
def m011_token_expiry(db: sqlite_utils.Database) -> None:
    """A token may expire (UTC, compared as text with now): Authorize answers Expired after it."""
    db["tokens"].add_column("expiry_date", str)


@migrations()
def m012_web_frame_log(db: sqlite_utils.Database) -> None:
    """The dashboard's frame log: the newest OCPP frames of each station (bounded per station by storage/frame_log.py),
    and the lookup of a command by the message id it went out with."""
    db["frame_log"].create(
        {
            "id": int,
            "cs_id": str,
            "at": str,  # when we received or sent it
            "direction": str,  # in: the station sent the frame; out: we did
            "message_type": int,  # 2 CALL, 3 CALLRESULT, 4 CALLERROR; NULL for a frame we could not read
            "message_id": str,
            "action": str,  # the CALL's action, or that of the CALL an answer belongs to
            "frame": str,  # as it went over the wire (passwords in our calls masked)
            "reply": str,  # our answer to a station's CALL or bad frame, when it went out at once
        },
        pk="id",
    )
    db["frame_log"].create_index(["cs_id", "id"])
    db["commands"].create_index(["cs_id", "message_id"])


@migrations()
def m013_ocpi_roaming(db: sqlite_utils.Database) -> None:
    """OCPI 2.2.1: what each party's handshake told us, the durable queue of our requests to partners, the changes
    that make pushes (filled by triggers, only for stations named by a location's EVSE), the EVSE statuses pushed, our
    sessions and the commands partners sent."""
    for name in ("version", "endpoints"):  # their OCPI version and its endpoints (JSON), from the handshake
        db["ocpi_parties"].add_column(name, str)
    db["ocpi_pushes"].create(
        {
            "id": int,
            "party_id": int,  # ocpi_parties.id
            "module": str,  # the partner's receiver module (locations, sessions, cdrs), "handshake", or "url"
            "method": str,
            "path": str,  # below the module's URL, or the whole URL (a command's response_url)
            "body": str,  # JSON
            "status": str,  # pending, failed (final); sent ones are deleted
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "created_at": str,
        },
        pk="id",
        defaults={"attempts": 0},
    )
    db["ocpi_pushes"].create_index(["party_id", "status", "id"])
    db["ocpi_pushes"].create_index(["status", "next_attempt_at"])
    db["ocpi_evses"].create(
        {
            "location_id": str,
            "uid": str,
            "cs_id": str,  # the station the uid names (NULL: none)
            "connector_ids": str,  # JSON: the OCPI connector ids that are station connectors (1.6 connectorId, 2.0.1 evseId)
            "status": str,  # the OCPI status last computed (and pushed)
            "updated_at": str,
        },
        pk=("location_id", "uid"),
    )
    db["ocpi_evses"].create_index(["cs_id"])
    db["ocpi_changes"].create({"id": int, "kind": str, "cs_id": str, "ref": str}, pk="id")
    located = "WHEN EXISTS (SELECT 1 FROM ocpi_evses WHERE cs_id = new.{column})"
    triggers = {
        "ocpi_connector_added": ("AFTER INSERT ON connectors", located.format(column="cs_id"), "station", "NULL"),
        "ocpi_connector_status": (
            "AFTER UPDATE OF status ON connectors",
            located.format(column="cs_id") + " AND old.status IS NOT new.status", "station", "NULL",
        ),
        "ocpi_station_connection": (
            "AFTER UPDATE OF connected ON stations",
            located.format(column="id") + " AND old.connected IS NOT new.connected", "station", "NULL",
        ),
        "ocpi_transaction_added": (
            "AFTER INSERT ON transactions", located.format(column="cs_id"), "transaction", "new.transaction_id",
        ),
        "ocpi_transaction_changed": (
            "AFTER UPDATE OF status, id_token ON transactions",
            located.format(column="cs_id") + " AND (old.status IS NOT new.status OR old.id_token IS NOT new.id_token)",
            "transaction", "new.transaction_id",
        ),
    }  # fmt: skip
    for name, (event, condition, kind, ref) in triggers.items():
        cs_id = "new.id" if "ON stations" in event else "new.cs_id"
        db.execute(
            f"CREATE TRIGGER {name} {event} {condition}"
            f" BEGIN INSERT INTO ocpi_changes (kind, cs_id, ref) VALUES ('{kind}', {cs_id}, {ref}); END"
        )
    db["ocpi_sessions"].create(
        {
            "id": int,  # the OCPI Session.id (and CDR.id)
            "cs_id": str,
            "transaction_id": str,
            "party_id": int,  # the eMSP that owns its token (NULL: none of our partners)
            "location_id": str,
            "evse_uid": str,
            "status": str,  # ACTIVE, COMPLETED
            "kwh": float,  # as last pushed
            "last_updated": str,
            "cdr_at": str,  # when its CDR was made (the CDR's last_updated)
        },
        pk="id",
    )
    db["ocpi_sessions"].create_index(["cs_id", "transaction_id"], unique=True)
    db["ocpi_sessions"].create_index(["last_updated"])
    db["ocpi_sessions"].create_index(["cdr_at"])
    db["ocpi_sessions"].create_index(["status"])
    db["ocpi_commands"].create(
        {
            "id": int,
            "party_id": int,
            "command": str,  # START_SESSION, STOP_SESSION, UNLOCK_CONNECTOR, RESERVE_NOW, CANCEL_RESERVATION
            "command_id": int,  # the outbox command that carries it (NULL: answered without one)
            "cs_id": str,
            "response_url": str,
            "reservation_ref": str,  # RESERVE_NOW: the partner's reservation_id
            "reservation_id": int,  # ...and the OCPP one we sent
            "token_uid": str,
            "deadline": str,  # no answer by then: TIMEOUT
            "result": str,  # the CommandResult sent
            "result_at": str,
            "created_at": str,
        },
        pk="id",
    )
    db["ocpi_commands"].create_index(["command_id"])
    db.execute("CREATE INDEX idx_ocpi_commands_open ON ocpi_commands (id) WHERE result_at IS NULL")
    db["ocpi_commands"].create_index(["party_id", "reservation_ref"])
