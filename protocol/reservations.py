"""A ReserveNow payload of either OCPP version read as one version-neutral reservation."""
from __future__ import annotations

from typing import Any

from protocol.times import utc_instant

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def is_int32(value: Any) -> bool:
    """Whether `value` is an integer a station can mean as an id (OCPP integers are 32-bit in practice)."""
    return isinstance(value, int) and not isinstance(value, bool) and INT32_MIN <= value <= INT32_MAX


def reservation_of(family: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The reservation a ReserveNow payload of `family` ("1.6" or "2.0.1") asks for.

    Raises ValueError when its reservation or EVSE id is no 32-bit integer ≥ 0 (the API's ids). `evse_id` 0 is the
    whole station (1.6 connectorId 0, 2.0.1 without evseId).
    """
    for name in ("reservationId", "connectorId") if family == "1.6" else ("id", "evseId"):
        if name in payload and not (is_int32(payload[name]) and payload[name] >= 0):
            raise ValueError(f"{name} {payload[name]} is not a 32-bit integer ≥ 0")
    if family == "1.6":
        reservation = {
            "reservation_id": payload["reservationId"], "evse_id": payload["connectorId"], "id_token": payload["idTag"],
            "id_token_type": None, "group_id_token": payload.get("parentIdTag"), "expiry_date": payload["expiryDate"],
        }  # fmt: skip
    else:
        reservation = {
            "reservation_id": payload["id"], "evse_id": payload.get("evseId", 0),
            "id_token": payload["idToken"]["idToken"], "id_token_type": payload["idToken"]["type"],
            "group_id_token": (payload.get("groupIdToken") or {}).get("idToken"), "expiry_date": payload["expiryDateTime"],
        }  # fmt: skip
    return reservation | {"expires_at": utc_instant(reservation["expiry_date"])}
