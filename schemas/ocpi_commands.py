"""OCPI 2.2.1 commands module: the five command objects partners send us, by CommandType."""
from __future__ import annotations

from marshmallow import fields

from schemas.ocpi_common import BaseSchema, date_time_field, string, url_field
from schemas.ocpi_tokens import TokenSchema


class CommandSchema(BaseSchema):
    """What every command carries: where its CommandResult goes."""

    response_url = url_field()


class StartSessionSchema(CommandSchema):
    """StartSession."""

    token = fields.Nested(TokenSchema, required=True)
    location_id = string(36)
    evse_uid = string(36, required=False)
    connector_id = string(36, required=False)
    authorization_reference = string(36, required=False)


class StopSessionSchema(CommandSchema):
    """StopSession."""

    session_id = string(36)


class UnlockConnectorSchema(CommandSchema):
    """UnlockConnector."""

    location_id = string(36)
    evse_uid = string(36)
    connector_id = string(36)


class ReserveNowSchema(CommandSchema):
    """ReserveNow."""

    token = fields.Nested(TokenSchema, required=True)
    expiry_date = date_time_field()
    reservation_id = string(36, minimum=1)
    location_id = string(36)
    evse_uid = string(36, required=False)
    authorization_reference = string(36, required=False)


class CancelReservationSchema(CommandSchema):
    """CancelReservation."""

    reservation_id = string(36, minimum=1)


COMMAND_SCHEMAS = {
    "START_SESSION": StartSessionSchema,
    "STOP_SESSION": StopSessionSchema,
    "UNLOCK_CONNECTOR": UnlockConnectorSchema,
    "RESERVE_NOW": ReserveNowSchema,
    "CANCEL_RESERVATION": CancelReservationSchema,
}
