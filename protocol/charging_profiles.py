"""OCPP 2.0.1 SetChargingProfile requests turned into the OCPP 1.6 shape, or a clear reason why they cannot be."""
from __future__ import annotations

from typing import Any, Callable

from protocol.errors import NotExpressible

_PURPOSES_16 = {
    "ChargingStationMaxProfile": "ChargePointMaxProfile",
    "TxDefaultProfile": "TxDefaultProfile",
    "TxProfile": "TxProfile",
}
_COPIED = ("stackLevel", "chargingProfileKind", "recurrencyKind", "validFrom", "validTo")
_SCHEDULE_COPIED = ("duration", "startSchedule", "chargingRateUnit", "minChargingRate")


def _schedules(profile: dict[str, Any]) -> list[dict[str, Any]]:
    schedules = profile.get("chargingSchedule") or []
    return [schedules] if isinstance(schedules, dict) else list(schedules)


def _one_decimal(value: float) -> float:
    # 1.6 limits are multiples of 0.1 (the schema says so).
    return round(float(value), 1)


def _period_16(period: dict[str, Any]) -> dict[str, Any]:
    if "phaseToUse" in period:
        raise NotExpressible("phaseToUse has no OCPP 1.6 equivalent")
    converted = {"startPeriod": period["startPeriod"], "limit": _one_decimal(period["limit"])}
    if "numberPhases" in period:
        converted["numberPhases"] = period["numberPhases"]
    return converted


def _schedule_16(schedule: dict[str, Any]) -> dict[str, Any]:
    if "salesTariff" in schedule:
        raise NotExpressible("salesTariff has no OCPP 1.6 equivalent")
    converted = {name: schedule[name] for name in _SCHEDULE_COPIED if name in schedule}
    if "minChargingRate" in converted:
        converted["minChargingRate"] = _one_decimal(converted["minChargingRate"])
    periods = sorted(schedule.get("chargingSchedulePeriod", []), key=lambda period: period["startPeriod"])
    converted["chargingSchedulePeriod"] = [_period_16(period) for period in periods]
    return converted


def to_ocpp16(
    request: dict[str, Any], connector_of_transaction: Callable[[str], int | None]
) -> dict[str, Any]:
    """The 1.6 SetChargingProfile payload for a 2.0.1 request {evseId, chargingProfile}.

    `connector_of_transaction(transaction_id)` gives the 1.6 connector of this station's transaction, or None.
    Raises NotExpressible when 1.6 cannot carry the profile.
    """
    profile = request["chargingProfile"]
    purpose = profile["chargingProfilePurpose"]
    if purpose not in _PURPOSES_16:
        raise NotExpressible(f"{purpose} has no OCPP 1.6 equivalent")
    schedules = _schedules(profile)
    if len(schedules) != 1:
        raise NotExpressible(f"an OCPP 1.6 station takes exactly one charging schedule, this profile has {len(schedules)}")
    converted: dict[str, Any] = {"chargingProfileId": profile["id"], "chargingProfilePurpose": _PURPOSES_16[purpose]}
    converted.update({name: profile[name] for name in _COPIED if name in profile})
    converted["chargingSchedule"] = _schedule_16(schedules[0])
    connector_id = request.get("evseId", 0)
    if "transactionId" in profile:
        transaction_id = str(profile["transactionId"])
        if not transaction_id.isdigit():
            raise NotExpressible(f"transaction {transaction_id!r} is not an OCPP 1.6 transaction id")
        connector = connector_of_transaction(transaction_id)
        if connector is None:
            raise NotExpressible(f"transaction {transaction_id} is not an active transaction of this station")
        converted["transactionId"] = int(transaction_id)
        connector_id = connector
    return {"connectorId": connector_id, "csChargingProfiles": converted}
