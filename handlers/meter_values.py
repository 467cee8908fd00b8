"""Sampled values of both OCPP versions as meter_values rows, and the energy register read from them."""
from __future__ import annotations

import json
from typing import Any, Iterable

ENERGY_REGISTER = "Energy.Active.Import.Register"
_UNIT_TO_WH = {None: 1.0, "Wh": 1.0, "kWh": 1000.0}
MAX_MULTIPLIER = 9


def sampled_value_row(sampled_value: dict[str, Any], timestamp: str) -> dict[str, Any]:
    """One meter_values row (without cs_id, transaction, EVSE) from a 1.6 or 2.0.1 sampledValue.

    1.6 sends `value` as text and `unit`; 2.0.1 a number and `unitOfMeasure` {unit, multiplier} plus
    `signedMeterValue`. value_number has the multiplier applied; fields absent on the wire stay None.
    """
    unit_of_measure = sampled_value.get("unitOfMeasure") or {}
    unit = sampled_value.get("unit", unit_of_measure.get("unit"))
    multiplier = unit_of_measure.get("multiplier", 0)
    raw = sampled_value.get("value")
    signed = sampled_value.get("signedMeterValue")
    return {
        "timestamp": timestamp,
        "value": None if raw is None else str(raw),
        "value_number": _number(raw, multiplier, sampled_value.get("format")),
        "context": sampled_value.get("context"),
        "format": sampled_value.get("format"),
        "measurand": sampled_value.get("measurand"),
        "phase": sampled_value.get("phase"),
        "location": sampled_value.get("location"),
        "unit": unit,
        "signed_data": None if signed is None else json.dumps(signed, separators=(",", ":")),
    }


def meter_value_rows(meter_values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for every sampledValue of a list of meterValue objects (both versions name them alike)."""
    return [
        sampled_value_row(sampled, meter_value["timestamp"])
        for meter_value in meter_values
        for sampled in meter_value.get("sampledValue", [])
    ]


def energy_register_wh(row: dict[str, Any]) -> float | None:
    """The row's Energy.Active.Import.Register reading in Wh (spec defaults: that measurand, Wh, Outlet), else None."""
    if (row.get("measurand") or ENERGY_REGISTER) != ENERGY_REGISTER:
        return None
    if row.get("phase") or (row.get("location") or "Outlet") != "Outlet":
        return None
    factor = _UNIT_TO_WH.get(row.get("unit"))
    if factor is None or row.get("value_number") is None:
        return None
    return row["value_number"] * factor


def _number(raw: Any, multiplier: int, value_format: str | None) -> float | None:
    if raw is None or value_format == "SignedData":
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    if not -MAX_MULTIPLIER <= multiplier <= MAX_MULTIPLIER:
        return None  # no meter scales by more than this; 10**huge would also stall the server
    return number * (10**multiplier) if multiplier else number
