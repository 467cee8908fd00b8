"""What a station's answers to our calls change in what we know of it (reservations, local lists), by action; each
runs in the commit that finishes the command."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from protocol.local_lists import LocalListState, as_version, held_after
from protocol.reservations import is_int32
from storage import local_lists, reservations

FollowUp = Callable[[Any], None]


class Answer(NamedTuple):
    """A CALLRESULT with the call it answers."""

    cs_id: str
    command_id: int
    ocpp_version: str
    request: dict[str, Any]
    response: dict[str, Any]


def _reserve_now(db: Any, answer: Answer) -> None:
    reservations.save_answer(db, answer.command_id, answer.response.get("status"))


def _cancel_reservation(db: Any, answer: Answer) -> None:
    if answer.response.get("status") == "Accepted" and is_int32(answer.request["reservationId"]):
        reservations.cancel(db, answer.cs_id, answer.request["reservationId"])


def _send_local_list(db: Any, answer: Answer) -> None:
    status = answer.response.get("status")
    if status == "Accepted":
        known = local_lists.find_local_list(db, answer.cs_id)
        after = held_after(answer.ocpp_version, answer.request, LocalListState.of(known, []).held)
        if after is None:
            local_lists.forget_version(db, answer.cs_id)
        else:
            local_lists.save_acknowledged(db, answer.cs_id, *after)
    elif status == "VersionMismatch":  # the next Differential goes out as a Full list
        local_lists.forget_version(db, answer.cs_id)
    # Failed, NotSupported: the station kept its list; the answer is on the command.


def _get_local_list_version(db: Any, answer: Answer) -> None:
    reported = answer.response.get("listVersion", answer.response.get("versionNumber"))
    local_lists.save_reported_version(db, answer.cs_id, as_version(reported))


ON_ANSWER: dict[str, Callable[[Any, Answer], None]] = {
    "ReserveNow": _reserve_now,
    "CancelReservation": _cancel_reservation,
    "SendLocalList": _send_local_list,
    "GetLocalListVersion": _get_local_list_version,
}


def after_answer(action: str, answer: Answer) -> FollowUp | None:
    """The write that applies the station's answer to `action`, or None when it changes nothing we keep."""
    effect = ON_ANSWER.get(action)
    return None if effect is None else lambda db: effect(db, answer)


def after_failure(command_id: int, then: FollowUp | None = None) -> FollowUp:
    """A command that ended without an answer: what it asked for did not happen (a ReserveNow's reservation failed);
    then `then`."""

    def follow_up(db: Any) -> None:
        reservations.fail_requested(db, command_id)
        if then is not None:
            then(db)

    return follow_up
