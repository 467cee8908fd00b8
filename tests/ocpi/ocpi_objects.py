"""The OCPI 2.2.1 objects our CPO answers and pushes, written from the specification's object tables as JSON Schemas
(required fields, types, lengths, enum values), and a check that raises with every violation."""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

DATE_TIME = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$", "maxLength": 25}
URL = {"type": "string", "pattern": "^https?://", "maxLength": 255}
NUMBER = {"type": "number"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}


def string(maximum: int, minimum: int = 0) -> dict[str, Any]:
    return {"type": "string", "maxLength": maximum, "minLength": minimum}


def enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these required and optional properties (others are allowed, as OCPI says)."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def array(items: dict[str, Any], minimum: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": items, "minItems": minimum}


PRICE = obj({"excl_vat": NUMBER}, {"incl_vat": NUMBER})
DISPLAY_TEXT = obj({"language": string(2, 2), "text": string(512)})
GEO_LOCATION = obj({"latitude": {"type": "string", "pattern": r"^-?[0-9]{1,2}\.[0-9]{5,7}$"},
                    "longitude": {"type": "string", "pattern": r"^-?[0-9]{1,3}\.[0-9]{5,7}$"}})  # fmt: skip
CONNECTOR_TYPES = (
    "CHADEMO", "CHAOJI", *(f"DOMESTIC_{letter}" for letter in "ABCDEFGHIJKLMNO"), "GBT_AC", "GBT_DC",
    "IEC_60309_2_single_16", "IEC_60309_2_three_16", "IEC_60309_2_three_32", "IEC_60309_2_three_64", "IEC_62196_T1",
    "IEC_62196_T1_COMBO", "IEC_62196_T2", "IEC_62196_T2_COMBO", "IEC_62196_T3A", "IEC_62196_T3C", "NEMA_5_20",
    "NEMA_6_30", "NEMA_6_50", "NEMA_10_30", "NEMA_10_50", "NEMA_14_30", "NEMA_14_50", "PANTOGRAPH_BOTTOM_UP",
    "PANTOGRAPH_TOP_DOWN", "TESLA_R", "TESLA_S",
)  # fmt: skip
POWER_TYPES = ("AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC")
STATUSES = ("AVAILABLE", "BLOCKED", "CHARGING", "INOPERATIVE", "OUTOFORDER", "PLANNED", "REMOVED", "RESERVED", "UNKNOWN")
CAPABILITIES = (
    "CHARGING_PROFILE_CAPABLE", "CHARGING_PREFERENCES_CAPABLE", "CHIP_CARD_SUPPORT", "CONTACTLESS_CARD_SUPPORT",
    "CREDIT_CARD_PAYABLE", "DEBIT_CARD_PAYABLE", "PED_TERMINAL", "REMOTE_START_STOP_CAPABLE", "RESERVABLE",
    "RFID_READER", "START_SESSION_CONNECTOR_REQUIRED", "TOKEN_GROUP_CAPABLE", "UNLOCK_CAPABLE",
)  # fmt: skip
TOKEN_TYPES = ("AD_HOC_USER", "APP_USER", "OTHER", "RFID")

CONNECTOR = obj(
    {"id": string(36, 1), "standard": enum(*CONNECTOR_TYPES), "format": enum("SOCKET", "CABLE"),
     "power_type": enum(*POWER_TYPES), "max_voltage": INT, "max_amperage": INT, "last_updated": DATE_TIME},
    {"max_electric_power": INT, "tariff_ids": array(string(36)), "terms_and_conditions": URL},
)  # fmt: skip
EVSE = obj(
    {"uid": string(36, 1), "status": enum(*STATUSES), "connectors": array(CONNECTOR, 1), "last_updated": DATE_TIME},
    {"evse_id": string(48), "capabilities": array(enum(*CAPABILITIES)), "floor_level": string(4),
     "coordinates": GEO_LOCATION, "physical_reference": string(16), "directions": array(DISPLAY_TEXT)},
)  # fmt: skip
LOCATION = obj(
    {"country_code": string(2, 2), "party_id": string(3, 3), "id": string(36, 1), "publish": BOOL,
     "address": string(255), "city": string(45), "country": string(3, 3), "coordinates": GEO_LOCATION,
     "time_zone": string(255, 1), "last_updated": DATE_TIME},
    {"name": string(255), "postal_code": string(10), "state": string(45), "evses": array(EVSE),
     "parking_type": enum("ALONG_MOTORWAY", "PARKING_GARAGE", "PARKING_LOT", "ON_DRIVEWAY", "ON_STREET",
                          "UNDERGROUND_GARAGE"),
     "charging_when_closed": BOOL},
)  # fmt: skip
CDR_TOKEN = obj({"country_code": string(2, 2), "party_id": string(3, 3), "uid": string(36, 1),
                 "type": enum(*TOKEN_TYPES), "contract_id": string(36, 1)})  # fmt: skip
AUTH_METHOD = enum("AUTH_REQUEST", "COMMAND", "WHITELIST")
DIMENSION = obj({"type": enum("CURRENT", "ENERGY", "ENERGY_EXPORT", "ENERGY_IMPORT", "MAX_CURRENT", "MIN_CURRENT",
                              "MAX_POWER", "MIN_POWER", "PARKING_TIME", "POWER", "RESERVATION_TIME",
                              "STATE_OF_CHARGE", "TIME"), "volume": NUMBER})  # fmt: skip
CHARGING_PERIOD = obj({"start_date_time": DATE_TIME, "dimensions": array(DIMENSION, 1)}, {"tariff_id": string(36)})
SESSION = obj(
    {"country_code": string(2, 2), "party_id": string(3, 3), "id": string(36, 1), "start_date_time": DATE_TIME,
     "kwh": NUMBER, "cdr_token": CDR_TOKEN, "auth_method": AUTH_METHOD, "location_id": string(36, 1),
     "evse_uid": string(36, 1), "connector_id": string(36, 1), "currency": string(3, 3),
     "status": enum("ACTIVE", "COMPLETED", "INVALID", "PENDING", "RESERVATION"), "last_updated": DATE_TIME},
    {"end_date_time": DATE_TIME, "authorization_reference": string(36), "meter_id": string(255),
     "charging_periods": array(CHARGING_PERIOD), "total_cost": PRICE},
)  # fmt: skip
PRICE_COMPONENT = obj({"type": enum("ENERGY", "FLAT", "PARKING_TIME", "TIME"), "price": NUMBER, "step_size": INT},
                      {"vat": NUMBER})  # fmt: skip
TARIFF = obj(
    {"country_code": string(2, 2), "party_id": string(3, 3), "id": string(36, 1), "currency": string(3, 3),
     "elements": array(obj({"price_components": array(PRICE_COMPONENT, 1)}), 1), "last_updated": DATE_TIME},
    {"type": enum("AD_HOC_PAYMENT", "PROFILE_CHEAP", "PROFILE_FAST", "PROFILE_GREEN", "REGULAR"),
     "tariff_alt_text": array(DISPLAY_TEXT), "min_price": PRICE, "max_price": PRICE},
)  # fmt: skip
CDR_LOCATION = obj(
    {"id": string(36, 1), "address": string(45), "city": string(45), "country": string(3, 3),
     "coordinates": GEO_LOCATION, "evse_uid": string(36, 1), "evse_id": string(48, 1), "connector_id": string(36, 1),
     "connector_standard": enum(*CONNECTOR_TYPES), "connector_format": enum("SOCKET", "CABLE"),
     "connector_power_type": enum(*POWER_TYPES)},
    {"name": string(255), "postal_code": string(10), "state": string(20)},
)  # fmt: skip
CDR = obj(
    {"country_code": string(2, 2), "party_id": string(3, 3), "id": string(39, 1), "start_date_time": DATE_TIME,
     "end_date_time": DATE_TIME, "cdr_token": CDR_TOKEN, "auth_method": AUTH_METHOD, "cdr_location": CDR_LOCATION,
     "currency": string(3, 3), "charging_periods": array(CHARGING_PERIOD, 1), "total_cost": PRICE,
     "total_energy": NUMBER, "total_time": NUMBER, "last_updated": DATE_TIME},
    {"session_id": string(36), "tariffs": array(TARIFF), "total_energy_cost": PRICE, "total_parking_time": NUMBER},
)  # fmt: skip
TOKEN = obj(
    {"country_code": string(2, 2), "party_id": string(3, 3), "uid": string(36, 1), "type": enum(*TOKEN_TYPES),
     "contract_id": string(36, 1), "issuer": string(64), "valid": BOOL,
     "whitelist": enum("ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER"), "last_updated": DATE_TIME},
    {"visual_number": string(64), "group_id": string(36), "language": string(2)},
)  # fmt: skip
ROLE = obj({"role": enum("CPO", "EMSP", "HUB", "NAP", "NSP", "OTHER", "SCSP"),
            "business_details": obj({"name": string(100)}), "party_id": string(3, 3), "country_code": string(2, 2)})  # fmt: skip
CREDENTIALS = obj({"token": {"type": "string", "pattern": r"^[!-~]{1,64}$"}, "url": URL, "roles": array(ROLE, 1)})
VERSIONS = array(obj({"version": enum("2.0", "2.1", "2.1.1", "2.2", "2.2.1"), "url": URL}), 1)
VERSION_DETAILS = obj(
    {"version": enum("2.2", "2.2.1"),
     "endpoints": array(obj({"identifier": enum("cdrs", "chargingprofiles", "commands", "credentials",
                                                "hubclientinfo", "locations", "sessions", "tariffs", "tokens"),
                             "role": enum("SENDER", "RECEIVER"), "url": URL}), 1)},
)  # fmt: skip
COMMAND_RESPONSE = obj({"result": enum("NOT_SUPPORTED", "REJECTED", "ACCEPTED", "UNKNOWN_SESSION"), "timeout": INT},
                       {"message": array(DISPLAY_TEXT)})  # fmt: skip
COMMAND_RESULT = obj(
    {"result": enum("ACCEPTED", "CANCELED_RESERVATION", "EVSE_OCCUPIED", "EVSE_INOPERATIVE", "FAILED",
                    "NOT_SUPPORTED", "REJECTED", "TIMEOUT", "UNKNOWN_RESERVATION")},
    {"message": array(DISPLAY_TEXT)},
)  # fmt: skip
ENVELOPE = obj({"status_code": INT, "timestamp": DATE_TIME}, {"status_message": {"type": "string"}})
EVSE_PATCH = {"type": "object", "required": ["last_updated"], "properties": {"status": enum(*STATUSES), "last_updated": DATE_TIME}}


def check(schema: dict[str, Any], value: Any) -> Any:
    """Raise AssertionError listing every way `value` breaks `schema`; return `value`."""
    errors = sorted(Draft202012Validator(schema).iter_errors(value), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors)
    return value


def data(response: Any, schema: dict[str, Any] | None = None, status_code: int = 1000) -> Any:
    """The `data` of an OCPI answer after checking its envelope (and `data` against `schema`)."""
    body = check(ENVELOPE, response.json())
    assert body["status_code"] == status_code, body
    if schema is not None:
        check(schema, body.get("data"))
    return body.get("data")
