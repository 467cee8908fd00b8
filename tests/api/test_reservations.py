"""POST /cs/{csId}/reserve-now writes a requested reservation with its command; GET /cs/{csId}/reservations reads them."""
from __future__ import annotations

import pytest

from storage import commands, reservations
from tests.api.conftest import commands_of

VERSIONS = ["1.6", "2.0.1"]
FAR = "2099-01-01T00:00:00+02:00"


@pytest.fixture
def stations(station_of):
    station_of("cs16", "1.6")
    station_of("cs201", "2.0.1")
    station_of("never", None)
    return {"1.6": "cs16", "2.0.1": "cs201"}


@pytest.mark.parametrize("version", VERSIONS)
def test_reserve_now_without_an_id_picks_one_and_the_reservation_is_requested_with_its_command(api, stations, store, version):
    cs_id = stations[version]
    queued = api("post", f"/cs/{cs_id}/reserve-now", json={"expiryDateTime": FAR, "idToken": "TAG1", "evseId": 2})
    assert queued.status_code == 202, queued.json
    payload = queued.json["params"]["payload"]
    reservation_id = payload["reservationId"] if version == "1.6" else payload["id"]
    assert isinstance(reservation_id, int) and 0 < reservation_id < 2**31
    listed = api("get", f"/cs/{cs_id}/reservations").json
    assert listed == [api("get", f"/cs/{cs_id}/reservations/{reservation_id}").json]
    found = listed[0]
    assert (found["reservationId"], found["evseId"], found["idToken"], found["expiryDateTime"]) == (
        reservation_id, 2, "TAG1", FAR)
    assert (found["status"], found["stationStatus"], found["commandId"]) == ("requested", None, queued.json["id"])
    assert [row["id"] for row in commands_of(store, cs_id)] == [queued.json["id"]]


def test_call_reserve_now_is_recorded_as_a_reservation_too(api, stations):
    payload = {"connectorId": 1, "expiryDate": FAR, "idTag": "TAG2", "reservationId": 31}
    assert api("post", "/cs/cs16/call", json={"action": "ReserveNow", "payload": payload}).status_code == 202
    found = api("get", "/cs/cs16/reservations/31").json
    assert (found["status"], found["idToken"], found["evseId"]) == ("requested", "TAG2", 1)


def test_reservations_are_listed_newest_first_and_paged(api, stations):
    for reservation_id in (1, 2, 3):
        body = {"reservationId": reservation_id, "expiryDateTime": FAR, "idToken": f"TAG{reservation_id}"}
        assert api("post", "/cs/cs201/reserve-now", json=body).status_code == 202
    assert [r["reservationId"] for r in api("get", "/cs/cs201/reservations").json] == [3, 2, 1]
    assert [r["reservationId"] for r in api("get", "/cs/cs201/reservations?offset=1&limit=1").json] == [2]
    assert api("get", "/cs/cs16/reservations").json == []


@pytest.mark.parametrize("query", ["offset=-1", "limit=0", "limit=101", "limit=x"])
def test_bad_paging_is_400(api, stations, query):
    response = api("get", f"/cs/cs16/reservations?{query}")
    assert response.status_code == 400 and set(response.json) == {"status", "error"}


@pytest.mark.parametrize("path", ["/cs/nobody/reservations", "/cs/nobody/reservations/1", "/cs/cs16/reservations/1"])
def test_unknown_station_or_reservation_is_404(api, stations, path):
    response = api("get", path)
    assert response.status_code == 404 and set(response.json) == {"status", "error"}


@pytest.mark.parametrize(
    "body, error",
    [
        ({"expiryDateTime": "tomorrow", "idToken": "T"}, "body.expiryDateTime"),
        ({"expiryDateTime": "2099-01-01T00:00:00", "idToken": "T"}, "body.expiryDateTime"),
        ({"expiryDateTime": FAR, "idToken": "T", "reservationId": 2**31}, "body.reservationId"),
        ({"expiryDateTime": FAR, "idToken": "T", "evseId": -1}, "body.evseId"),
    ],
)
def test_bad_reservations_are_400(api, stations, body, error):
    response = api("post", "/cs/cs16/reserve-now", json=body)
    assert response.status_code == 400 and error in response.json["error"]


def test_call_reserve_now_with_an_id_beyond_32_bits_is_400(api, stations):
    payload = {"connectorId": 1, "expiryDate": FAR, "idTag": "TAG2", "reservationId": 2**40}
    response = api("post", "/cs/cs16/call", json={"action": "ReserveNow", "payload": payload})
    assert response.status_code == 400 and "reservationId" in response.json["error"]


def stored_statuses(store) -> dict[int, str]:
    return store.read(lambda db: {row["reservation_id"]: row["status"] for row in db["reservations"].rows})


def test_the_outbox_sweep_writes_down_what_the_api_already_shows(api, stations, store):
    body = {"reservationId": 1, "expiryDateTime": "2020-01-01T00:00:00Z", "idToken": "T"}
    past = api("post", "/cs/cs16/reserve-now", json=body)
    api("post", "/cs/cs16/reserve-now", json={"reservationId": 2, "expiryDateTime": FAR, "idToken": "T"})
    store.write(lambda db: reservations.save_answer(db, past.json["id"], "Accepted"))  # as the station's answer would
    commands.expire_old(store, -1)  # the second ReserveNow was never delivered
    shown = {r["reservationId"]: r["status"] for r in api("get", "/cs/cs16/reservations").json}
    assert (shown, stored_statuses(store)) == ({1: "expired", 2: "failed"}, {1: "reserved", 2: "requested"})
    assert reservations.expire_due(store) == 2
    assert stored_statuses(store) == shown
