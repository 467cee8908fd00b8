"""Reservations as GET /cs/{csId}/reservations answers them."""
from __future__ import annotations

from marshmallow import fields, validate

from schemas.common import BaseSchema, PageArgsSchema

RESERVATION_STATUSES = ("requested", "reserved", "rejected", "failed", "cancelled", "expired", "used", "removed")
STATION_STATUSES = ("Accepted", "Faulted", "Occupied", "Rejected", "Unavailable")


class ReservationSchema(BaseSchema):
    """A reservation of an EVSE (1.6 connector; 0 = the whole station) for a token until its expiry."""

    reservation_id = fields.Integer(data_key="reservationId", required=True)
    evse_id = fields.Integer(data_key="evseId", required=True)
    id_token = fields.String(data_key="idToken", required=True)
    id_token_type = fields.String(data_key="idTokenType", allow_none=True, metadata={"description": "2.0.1 only"})
    group_id_token = fields.String(
        data_key="parentIdTag", allow_none=True, metadata={"description": "1.6 parentIdTag, 2.0.1 groupIdToken"}
    )
    expiry_date = fields.String(data_key="expiryDateTime", required=True)
    status = fields.String(required=True, validate=validate.OneOf(RESERVATION_STATUSES))
    station_status = fields.String(
        data_key="stationStatus", allow_none=True, metadata={"description": "The station's answer to the ReserveNow"}
    )
    transaction_id = fields.String(
        data_key="transactionId", allow_none=True, metadata={"description": "The transaction that used it"}
    )
    command_id = fields.Integer(data_key="commandId", allow_none=True, metadata={"description": "Its ReserveNow command"})
    created_at = fields.String(data_key="createdAt", required=True)
    updated_at = fields.String(data_key="updatedAt", required=True)


class ReservationListArgsSchema(PageArgsSchema):
    """Paging of a station's reservations."""
