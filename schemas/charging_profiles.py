"""setchargingprofile: the 2.0.1 SetChargingProfileRequest built from a ChargingProfileType, and what 1.6 cannot carry."""
from __future__ import annotations

from typing import Any, Callable

from ocpp.exceptions import OCPPError

from protocol.charging_profiles import to_ocpp16
from protocol.errors import NotExpressible
from protocol.validation import validate

STATION_WIDE_PURPOSES = ("ChargingStationMaxProfile", "TxDefaultProfile")


class ProfileError(ValueError):
    """The profile cannot be sent to this station; the text says why."""


def as_schedule_list(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile with `chargingSchedule` as the 1–3 element list OCPP 2.0.1 wants."""
    schedules = profile["chargingSchedule"]
    return {**profile, "chargingSchedule": schedules if isinstance(schedules, list) else [schedules]}


def build_request(profile: dict[str, Any], find_active_evse: Callable[[str], int | None]) -> dict[str, Any]:
    """The checked SetChargingProfileRequest; `find_active_evse(transaction_id)` gives the EVSE of an active transaction."""
    profile = as_schedule_list(profile)
    purpose = profile["chargingProfilePurpose"]
    if purpose == "ChargingStationExternalConstraints":
        raise ProfileError("ChargingStationExternalConstraints profiles are set by an external system, not the CSMS")
    if purpose == "TxProfile":
        transaction_id = profile.get("transactionId")
        evse_id = find_active_evse(transaction_id) if transaction_id else None
        if evse_id is None:
            raise ProfileError("a TxProfile needs the transactionId of an active transaction of this station")
    else:
        evse_id = 0
    request = {"evseId": evse_id, "chargingProfile": profile}
    try:
        validate(2, "SetChargingProfile", request, "2.0.1")
    except OCPPError as error:
        raise ProfileError(f"invalid charging profile: {error.description}") from error
    return request


def check_expressible_in_16(request: dict[str, Any], find_active_evse: Callable[[str], int | None]) -> None:
    """Refuse what OCPP 1.6's SetChargingProfile cannot express (the conversion the outbox will make)."""
    try:
        to_ocpp16(request, find_active_evse)
    except NotExpressible as error:
        raise ProfileError(str(error)) from error
