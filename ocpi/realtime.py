"""Real-time authorization: a token unknown here, or one whose whitelist says to ask (NEVER, ALLOWED_OFFLINE), is
POSTed to its eMSP's tokens/{uid}/authorize within a short timeout. The Token the eMSP answers is stored in the token
store (the cache: ALWAYS / ALLOWED tokens are decided locally from then on)."""
from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

from marshmallow import ValidationError

from ocpi import client
from ocpi.context import OcpiContext
from ocpi.partners import endpoint_url
from ocpi.tokens import save
from schemas.ocpi_tokens import AuthorizationInfoSchema
from storage import locations, parties

log = logging.getLogger(__name__)

ASK_WHITELISTS = ("NEVER", "ALLOWED_OFFLINE")
# AllowedType → OCPP 2.0.1 AuthorizationStatus (1.6 handlers narrow what it lacks).
VERDICTS = {
    "ALLOWED": "Accepted", "BLOCKED": "Blocked", "EXPIRED": "Expired", "NO_CREDIT": "NoCredit",
    "NOT_ALLOWED": "NotAtThisLocation",
}  # fmt: skip


class RealtimeAuthorizer:
    """handlers.authorization's RemoteAuthorizer for OCPI partners."""

    def __init__(self, context: OcpiContext) -> None:
        self.context = context

    def __call__(self, cs_id: str, uid: str, token: dict[str, Any] | None) -> str | None:
        if token is not None and token.get("cache_mode") not in ASK_WHITELISTS:
            return None
        askable = self._askable(token)
        if not askable:
            return None
        deadline = time.monotonic() + self.context.config.ocpi_authorize_timeout
        body = self._location_references(cs_id)
        for party in askable:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            verdict = self._ask(party, uid, (token or {}).get("type") or "RFID", body, remaining)
            if verdict is not None:
                return verdict
        # Nobody answered in time: NEVER may not be used without its eMSP; the rest is decided here.
        return "Invalid" if token is not None and token.get("cache_mode") == "NEVER" else None

    def _askable(self, token: dict[str, Any] | None) -> list[dict[str, Any]]:
        """The token's eMSP, or for an unknown token every connected party offering real-time authorization."""
        known = [
            party for party in parties.list_parties(self.context.store)
            if parties.is_connected(party) and endpoint_url(party, "tokens", "SENDER")
        ]  # fmt: skip
        if token is None:
            return known
        return [party for party in known if parties.has_role(party, token["country_code"] or "", token["party_id"] or "")]

    def _location_references(self, cs_id: str) -> dict[str, Any] | None:
        rows = self.context.store.read(lambda db: locations.evses_of_station(db, cs_id))
        if not rows:
            return None
        return {"location_id": rows[0]["location_id"], "evse_uids": [row["uid"] for row in rows if row["location_id"] == rows[0]["location_id"]]}

    def _ask(self, party: dict[str, Any], uid: str, token_type: str, body: Any, timeout: float) -> str | None:
        url = f"{endpoint_url(party, 'tokens', 'SENDER').rstrip('/')}/{quote(uid, safe='')}/authorize?type={token_type}"
        outcome = client.call(
            "POST", url, party["their_token"], party["version"], body, self.context.routing_headers(party), timeout
        )
        if not outcome.ok:
            log.info("OCPI party %s: real-time authorization of a token failed: %s", party["id"], outcome.error)
            return None
        try:
            info = AuthorizationInfoSchema().load(outcome.data)
        except ValidationError as error:
            log.warning("OCPI party %s: real-time authorization answer unusable: %s", party["id"], error.messages)
            return None
        answered = info["token"]
        if answered["uid"] == uid and parties.has_role(party, answered["country_code"], answered["party_id"]):
            save(self.context.store, answered)
        return VERDICTS[info["allowed"]]
