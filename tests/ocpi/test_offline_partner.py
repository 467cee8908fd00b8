"""A partner that is down while things happen loses nothing: every EVSE status change, the session and its CDR wait in
the durable queue and reach it in order once it is back."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from tests.ocpi import stations
from tests.ocpi.conftest import add_location, evse_uid, is_push, module_url, new_station
from tests.ocpi.ocpi_objects import CDR, EVSE_PATCH, SESSION, check, data
from tests.ocpi.stations import off_loop
from tests.stations import recording_station


def wait_until(read: Callable[[], Any], timeout: float = 10) -> Any:
    """Poll our OCPI side until `read()` is truthy (the watcher has queued the matching push by then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = read()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("never happened")


def test_everything_queued_while_the_partner_was_down_arrives_in_order(server, emsp):
    cs_id = new_station(server)
    location_id = add_location(server, [cs_id])
    uid = evse_uid(cs_id)
    emsp.wait_for(is_push("PUT", f"/locations/GB/TWK/{location_id}"))
    token = emsp.token(f"OFF-{cs_id}", whitelist="ALWAYS")
    data(emsp.cpo("PUT", module_url(server, f"tokens/{emsp.country_code}/{emsp.party_id}/{token['uid']}"), json=token))
    emsp.go_offline()

    def status_is(status: str) -> Callable[[], bool]:
        return lambda: data(emsp.cpo("GET", module_url(server, f"locations/{location_id}/{uid}")))["status"] == status

    def active_session() -> list:
        return [item for item in data(emsp.cpo("GET", module_url(server, "sessions"), params={"date_from": "2020-01-01T00:00:00Z"}))
                if item["status"] == "ACTIVE" and item["evse_uid"] == uid]  # fmt: skip

    async def charge() -> None:
        async with recording_station(server, cs_id, "1.6") as station:
            for status in ("Available", "Charging"):
                await stations.report_status(station, "1.6", status)
                await off_loop(wait_until, status_is(status.upper()))
            transaction_id = await stations.start(station, "1.6", token["uid"], None, 0)
            await off_loop(wait_until, active_session)
            await stations.stop(station, "1.6", transaction_id, 2500)
            await stations.report_status(station, "1.6", "Available")
            await off_loop(wait_until, status_is("AVAILABLE"))

    asyncio.run(asyncio.wait_for(charge(), 60))
    time.sleep(1.5)  # let a few retries fail against the closed port
    emsp.go_online()
    emsp.wait_for(lambda item: item.method == "PATCH" and item.body.get("status") == "AVAILABLE", count=2, timeout=10)
    location_put = f"/locations/GB/TWK/{location_id}"  # sent before the partner went down
    pushed = emsp.matching(lambda item: item.method != "GET" and not item.path.endswith(location_put))
    steps = [(item.method, item.body.get("status") if "/cdrs" not in item.path else "CDR") for item in pushed]
    assert steps == [
        ("PATCH", "AVAILABLE"), ("PATCH", "CHARGING"), ("PUT", "ACTIVE"), ("PUT", "COMPLETED"), ("POST", "CDR"),
        ("PATCH", "AVAILABLE"),
    ]  # fmt: skip
    for item in pushed:
        assert item.authorized
        check({"PATCH": EVSE_PATCH, "PUT": SESSION, "POST": CDR}[item.method], item.body)
    assert pushed[4].body["total_energy"] == 2.5
