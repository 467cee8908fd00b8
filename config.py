"""Every CSMS_* setting with its default, read once at the entry point."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "on", "true", "yes")


@dataclass(frozen=True)
class Config:
    db_path: Path = Path("csms.sqlite3")
    api_host: str = "127.0.0.1"
    api_port: int = 9410
    ocpi_host: str = "127.0.0.1"
    ocpi_port: int = 9411
    ws_host: str = "0.0.0.0"
    ws_port: int = 9310
    wss_port: int = 9311
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_client_ca: str | None = None
    org_name: str | None = None
    api_token: str | None = None
    public_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    ws_compression: bool = True
    max_message_bytes: int = 1048576
    heartbeat_interval: int = 300
    call_timeout: float = 30.0
    ping_interval: float = 60.0
    auth_failure_limit: int = 5
    auth_failure_window: float = 60.0
    handshake_timeout: float = 5.0  # whole TLS + HTTP handshake, before the upgrade
    station_call_rate: float = 2000.0  # CALLs a second one station may send (in bursts as large); past it refused
    max_connections: int = 20000  # live OCPP sockets; more are refused with 503
    deflate_window_bits: int = 10  # permessage-deflate LZ77 window we compress with (9-15); bounds memory
    log_level: str = "INFO"
    log_format: str = "text"  # or json: one JSON object a line, naming the station
    command_max_attempts: int = 5  # sends of one command before it fails for want of an answer
    command_retry_delay: float = 30.0  # first backoff after a timeout; doubles per attempt, capped at 10 min
    command_ttl: float = 86400.0  # open commands older than this expire
    reset_on_reboot_required: bool = True  # Reset once every reconfigured name is answered and one said RebootRequired
    concurrent_tx_check: bool = False  # answer ConcurrentTx when the idTag is already charging elsewhere
    boot_pending_while_provisioning: bool = False  # answer BootNotification Pending while provisioning commands wait
    boot_pending_interval: int = 10  # seconds a Pending station waits before it boots again
    price_per_kwh: float = 0.55  # totalCost of an ended 2.0.1 transaction, per kWh (the original's price)
    db_max_mb: int = 0  # cap on the database file for rigs on small storage (0: none); past it writes are refused
    public_host: str | None = None  # the host name stations use: in the local CA's server certificate
    pki_dir: Path | None = None  # the local CA's files; default: `<database name>-pki` beside the database file
    ca_cert: str | None = None  # a root certificate (PEM) of the operator's to sign our sub-CAs with...
    ca_key: str | None = None  # ...and its private key
    csr_check_subject: bool = True  # CN = station id (and O = org_name) in CSRs; off for OCTT, which sends no O
    certificate_days: int = 365  # validity of station and V2G certificates we issue
    ocsp_timeout: float = 5.0  # seconds to wait for an external OCSP responder
    contract_provider: str = "none"  # Get15118EVCertificate: none, local (our contract sub-CA) or http
    contract_provider_url: str | None = None  # the http provider's endpoint...
    contract_provider_token: str | None = None  # ...and its bearer token
    ocpi_country_code: str = "GB"  # who we are as an OCPI CPO: country code...
    ocpi_party_id: str = "TWK"  # ...and party id (the owner of our locations, sessions, CDRs and tariff)
    ocpi_business_name: str = "CSMS"  # the name in our OCPI credentials
    ocpi_currency: str = "EUR"  # of the tariff, sessions and CDRs (the price is price_per_kwh)
    ocpi_time_zone: str = "UTC"  # IANA time zone of the locations we serve
    ocpi_timeout: float = 10.0  # seconds for each request we make to a partner (handshake, pushes)
    ocpi_authorize_timeout: float = 2.0  # seconds a station waits for a partner's real-time authorization
    ocpi_retry_delay: float = 1.0  # first wait before a failed push is tried again; doubles per attempt...
    ocpi_retry_max: float = 300.0  # ...up to this
    ocpi_command_timeout: int = 60  # seconds a partner's command may take before its result is TIMEOUT
    ocpi_session_interval: float = 60.0  # seconds between pushed updates of an active session's energy
    frame_log: bool = True  # keep each station's newest OCPP frames for the dashboard
    frame_log_size: int = 100  # frames kept per station

    @property
    def pki_directory(self) -> Path:
        """Where the local CA keeps its files."""
        return self.pki_dir or self.db_path.resolve().with_name(f"{self.db_path.stem}-pki")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Config:
        """Build a Config from CSMS_* variables; unset ones keep their defaults."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(f"CSMS_{field.name.upper()}")
            if raw is None and field.name == "db_path":
                raw = env.get("CSMS_DB")
            if raw is None:
                continue
            values[field.name] = _convert(field.name, field.type, raw)
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, type_name: object, raw: str) -> object:
    kind = str(type_name)
    try:
        if name in ("db_path", "pki_dir"):
            return Path(raw)
        if kind.startswith("tuple"):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        if kind == "bool":
            return _flag(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as error:
        raise ValueError(f"CSMS_{name.upper()}: {error}") from error
    return raw or None
