"""Location (OCPI 2.2.1 subset) with its GeoLocation, Evse and Connector."""
from __future__ import annotations

from marshmallow import fields, validate

from schemas.common import BaseSchema, StrictInteger

PARKING_TYPES = (
    "ALONG_MOTORWAY",
    "PARKING_GARAGE",
    "PARKING_LOT",
    "ON_DRIVEWAY",
    "ON_STREET",
    "UNDERGROUND_GARAGE",
)
CONNECTOR_STANDARDS = (
    "CHADEMO", "CHAOJI",
    "DOMESTIC_A", "DOMESTIC_B", "DOMESTIC_C", "DOMESTIC_D", "DOMESTIC_E", "DOMESTIC_F",
    "DOMESTIC_G", "DOMESTIC_H", "DOMESTIC_I", "DOMESTIC_J", "DOMESTIC_K", "DOMESTIC_L",
    "GBT_AC", "GBT_DC",
    "IEC_60309_2_single_16", "IEC_60309_2_three_16", "IEC_60309_2_three_32", "IEC_60309_2_three_64",
    "IEC_62196_T1", "IEC_62196_T1_COMBO", "IEC_62196_T2", "IEC_62196_T2_COMBO", "IEC_62196_T3A", "IEC_62196_T3C",
    "NEMA_5_20", "NEMA_6_30", "NEMA_6_50", "NEMA_10_30", "NEMA_10_50", "NEMA_14_30", "NEMA_14_50",
    "PANTOGRAPH_BOTTOM_UP", "PANTOGRAPH_TOP_DOWN",
    "TESLA_R", "TESLA_S",
    "UNKNOWN",
)  # fmt: skip
CONNECTOR_FORMATS = ("SOCKET", "CABLE")
POWER_TYPES = ("AC_1_PHASE", "AC_3_PHASE", "DC")
MAX_INT32 = 2**31 - 1


def _text(maximum: int, **kwargs: object) -> fields.String:
    return fields.String(validate=validate.Length(max=maximum), **kwargs)  # type: ignore[arg-type]


class GeoLocationSchema(BaseSchema):
    """Coordinates as OCPI strings."""

    latitude = _text(10, required=True)
    longitude = _text(11, required=True)


class ConnectorSchema(BaseSchema):
    """One connector of an EVSE."""

    id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    standard = fields.String(required=True, validate=validate.OneOf(CONNECTOR_STANDARDS))
    format = fields.String(required=True, validate=validate.OneOf(CONNECTOR_FORMATS))
    power_type = fields.String(required=True, validate=validate.OneOf(POWER_TYPES))
    max_voltage = StrictInteger(required=True, validate=validate.Range(min=0, max=MAX_INT32))
    max_amperage = StrictInteger(required=True, validate=validate.Range(min=0, max=MAX_INT32))


class EvseSchema(BaseSchema):
    """An EVSE of a location."""

    uid = fields.String(
        required=True,
        validate=validate.Length(min=1, max=36),
        metadata={"description": "Uniquely identifies the EVSE within the CPOs platform."},
    )
    evse_id = _text(48, allow_none=True)
    connectors = fields.List(fields.Nested(ConnectorSchema), required=True)


class LocationSchema(BaseSchema):
    """A charge station location."""

    country_code = fields.String(required=True, validate=validate.Length(equal=2))
    party_id = fields.String(required=True, validate=validate.Length(equal=3))
    name = _text(255, allow_none=True)
    address = _text(45, required=True)
    city = _text(45, required=True)
    postal_code = _text(10, allow_none=True)
    country = fields.String(required=True, validate=validate.Length(equal=3))
    coordinates = fields.Nested(GeoLocationSchema, required=True)
    parking_type = fields.String(allow_none=True, validate=validate.OneOf(PARKING_TYPES))
    evses = fields.List(fields.Nested(EvseSchema), allow_none=True)
