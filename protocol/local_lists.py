"""Local authorisation lists: stored tokens as list entries, Full and Differential SendLocalList payloads of each
OCPP version, and what a station holds after accepting one.

An entry is version-neutral: {"status": Accepted | Blocked | ..., "groupId"?: str, "type"?: 2.0.1 IdTokenEnum}.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from protocol.reservations import is_int32
from protocol.times import utc_now
from protocol.versions import message_family

Entry = dict[str, str]
# idTag / idToken and parentIdTag / groupIdToken lengths: a longer uid can never be presented, a group is cut.
ID_LENGTHS = {"1.6": 20, "2.0.1": 36}
# OCPI token types as the 2.0.1 idToken type a station reads them with: a card is ISO 14443, the rest is ours.
ID_TOKEN_TYPES = {"RFID": "ISO14443"}


class LocalListState(NamedTuple):
    """What we know of a station's list (storage's local list) and the stored tokens an update may draw from."""

    version: int | None  # the version it acknowledged; None: unknown (never sent, or VersionMismatch)
    entries: dict[str, Entry]
    in_sync: bool | None  # its last reported version compared with `version` (None: no newer report)
    reported_version: int | None
    tokens: list[dict[str, Any]]  # token rows: uid, type, valid, group_id

    @classmethod
    def of(cls, known: dict[str, Any], tokens: list[dict[str, Any]]) -> LocalListState:
        """The state from a mapping with (at least) the first four fields' names, and `tokens`."""
        return cls(known["version"], known["entries"], known["in_sync"], known["reported_version"], tokens)

    @property
    def held(self) -> dict[str, Entry] | None:
        """The entries the station holds, or None when we cannot trust what we know (a Differential goes Full)."""
        return self.entries if self.version is not None and self.in_sync is not False else None


def as_version(value: Any) -> int | None:
    """A list version we can keep (a 32-bit integer), else None: unknown."""
    return value if is_int32(value) else None


def _entry(status: str, group: str | None, token_type: str | None, expiry: str | None = None) -> Entry:
    entry = {"status": status, "groupId": group, "type": token_type, "expiryDate": expiry}
    return {name: value for name, value in entry.items() if value}


def token_entry(token: dict[str, Any], family: str, now: str) -> Entry:
    """A stored token as a list entry for `family` at `now` (`protocol.times.utc_now`): valid → Accepted (Expired past
    its expiry date, which the station is given as its cache limit), else Blocked (the Authorize rule)."""
    group = (token.get("group_id") or "")[: ID_LENGTHS[family]]
    token_type = None if family == "1.6" else ID_TOKEN_TYPES.get(token["type"], "Central")
    expiry = token.get("expiry_date")
    status = "Blocked" if not token["valid"] else "Expired" if expiry and expiry <= now else "Accepted"
    return _entry(status, group, token_type, expiry)


def next_version(state: LocalListState) -> int:
    """One above every version we know the station had."""
    return max([0, *(v for v in (state.version, state.reported_version) if v is not None)]) + 1


def send_local_list(ocpp_version: str, request: dict[str, Any], state: LocalListState) -> dict[str, Any]:
    """The SendLocalList payload for `request` ({updateType, listVersion?, tokens?}) against `state`.

    Full: every token of `state.tokens`. Differential: the considered uids (`tokens`, else every stored token and every
    uid the station holds) that were added, changed or are gone from the store; sent as Full when `state.held` is
    unknown.
    """
    family = message_family(ocpp_version)
    now = utc_now()
    wanted = {t["uid"]: token_entry(t, family, now) for t in state.tokens if len(t["uid"]) <= ID_LENGTHS[family]}
    number = request["listVersion"] if "listVersion" in request else next_version(state)
    held = state.held
    if request["updateType"] == "Full" or held is None:
        return _payload(family, number, "Full", wanted, {})
    considered = set(request["tokens"]) if "tokens" in request else set(wanted) | set(held)
    changed = {uid: wanted[uid] for uid in considered if uid in wanted and wanted[uid] != held.get(uid)}
    removed = {uid: held[uid] for uid in considered if uid not in wanted and uid in held}
    return _payload(family, number, "Differential", changed, removed)


def _payload(family: str, number: int, update_type: str, changed: dict[str, Entry], removed: dict[str, Entry]) -> dict:
    items = {uid: _wire_entry(family, uid, entry, True) for uid, entry in changed.items()}
    items |= {uid: _wire_entry(family, uid, entry, False) for uid, entry in removed.items()}
    payload = {"listVersion" if family == "1.6" else "versionNumber": number, "updateType": update_type}
    if items:
        payload["localAuthorizationList"] = [items[uid] for uid in sorted(items)]
    return payload


def _wire_entry(family: str, uid: str, entry: Entry, with_info: bool) -> dict[str, Any]:
    """An entry as the version spells it; without its info it removes the uid from the station's list."""
    group, expiry = entry.get("groupId"), entry.get("expiryDate")
    if family == "1.6":
        info = {"status": entry["status"], **({"parentIdTag": group} if group else {})}
        info |= {"expiryDate": expiry} if expiry else {}
        return {"idTag": uid, **({"idTagInfo": info} if with_info else {})}
    info = {"status": entry["status"], **({"groupIdToken": {"idToken": group, "type": "Central"}} if group else {})}
    info |= {"cacheExpiryDateTime": expiry} if expiry else {}
    item: dict[str, Any] = {"idToken": {"idToken": uid, "type": entry.get("type", "Central")}}
    return item | ({"idTokenInfo": info} if with_info else {})


def _read_entry(family: str, item: dict[str, Any]) -> tuple[str, Entry | None]:
    if family == "1.6":
        info = item.get("idTagInfo")
        if info is None:
            return item["idTag"], None
        return item["idTag"], _entry(info["status"], info.get("parentIdTag"), None, info.get("expiryDate"))
    token, info = item["idToken"], item.get("idTokenInfo")
    if info is None:
        return token["idToken"], None
    group = (info.get("groupIdToken") or {}).get("idToken")
    return token["idToken"], _entry(info["status"], group, token["type"], info.get("cacheExpiryDateTime"))


def held_after(
    ocpp_version: str, request: dict[str, Any], held: dict[str, Entry] | None
) -> tuple[int | None, dict[str, Entry]] | None:
    """(version, entries) a station holds once it accepted the SendLocalList `request`, given what it `held` before;
    None when that stays unknown (a Differential on top of an unknown list)."""
    family = message_family(ocpp_version)
    is_full = request["updateType"] == "Full"
    if held is None and not is_full:
        return None
    number = as_version(request.get("listVersion", request.get("versionNumber")))
    entries = {} if is_full else dict(held or {})
    for item in request.get("localAuthorizationList", []):
        uid, entry = _read_entry(family, item)
        if entry is None:
            entries.pop(uid, None)
        else:
            entries[uid] = entry
    return number, entries
