"""What every OCPI part shares: the settings, the store, our public base URL, who we are, and the versions we speak."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g

from config import Config
from protocol.times import utc_now
from storage import Store

VERSIONS = ("2.2.1", "2.2")  # newest first: the one we pick when a partner speaks both
# Our modules per version: identifier → our role in it (credentials: both sides call it).
MODULES = {
    "credentials": "SENDER",
    "locations": "SENDER",
    "sessions": "SENDER",
    "cdrs": "SENDER",
    "tariffs": "SENDER",
    "tokens": "RECEIVER",
    "commands": "RECEIVER",
}
TARIFF_ID = "default"


@dataclass
class OcpiContext:
    """The OCPI side's settings and store; `base_url` is set once the listener knows its port."""

    config: Config
    store: Store
    base_url: str = ""
    started_at: str = field(default_factory=utc_now)  # our tariff's last_updated: the price is read at start

    @property
    def versions_url(self) -> str:
        return f"{self.base_url}/versions"

    def module_url(self, version: str, module: str) -> str:
        """Where a partner reaches our `module` in `version`."""
        return f"{self.base_url}/{version}/{module}"

    def roles(self) -> list[dict[str, Any]]:
        """Our CredentialsRoles: one CPO."""
        config = self.config
        return [
            {
                "role": "CPO",
                "business_details": {"name": config.ocpi_business_name},
                "party_id": config.ocpi_party_id,
                "country_code": config.ocpi_country_code,
            }
        ]

    def credentials(self, token: str) -> dict[str, Any]:
        """Our Credentials object, carrying the token the partner is to call us with."""
        return {"token": token, "url": self.versions_url, "roles": self.roles()}

    def routing_headers(self, party: dict[str, Any]) -> dict[str, str]:
        """OCPI-from/to headers of a request we make to a party's functional module."""
        headers = {"OCPI-from-country-code": self.config.ocpi_country_code, "OCPI-from-party-id": self.config.ocpi_party_id}
        if party.get("country_code") and party.get("party_id"):
            headers |= {"OCPI-to-country-code": party["country_code"], "OCPI-to-party-id": party["party_id"]}
        return headers


def current() -> OcpiContext:
    """The context of the OCPI app handling this request."""
    return current_app.extensions["ocpi_context"]


def request_version() -> str:
    """The OCPI version of the URL this request came in on."""
    return g.ocpi_version
