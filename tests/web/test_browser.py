"""The dashboard in a real browser (Debian's Chromium, driven by PyPI's playwright) against a live server and real
`ocpp` stations; the screenshots in docs/screenshots are taken here, so they show what the code does."""
from __future__ import annotations

import asyncio
import csv
import io
import os
import threading
from pathlib import Path
from typing import Any, Coroutine, Iterator
from urllib.parse import quote

import pytest
import requests

from tests.conftest import ROOT, LiveServer
from tests.stations import recording_station

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
WAIT_MS = 15_000  # the longest any step may take; every wait is for a selector, never a fixed time
# Headless, with nothing fetched from anywhere but the server under test.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


class StationLoop:
    """An asyncio loop on a thread of its own for the `ocpp` stations (playwright's sync API owns the main thread)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.open: list[Any] = []

    def run(self, coroutine: Coroutine, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def connect(self, context: Any) -> Any:
        """Enter an async context manager (a connected station) on the loop; it is left in `close`."""
        station = self.run(context.__aenter__())
        self.open.append(context)
        return station

    def close(self) -> None:
        for context in reversed(self.open):
            self.run(context.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CSMS_REQUIRE_BROWSER"):
            pytest.fail("no /usr/bin/chromium: `make chromium` installs Debian's package")
        pytest.skip("no /usr/bin/chromium (`make chromium` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 800}, accept_downloads=True,
        )  # fmt: skip
        context.set_default_timeout(WAIT_MS)
        yield context
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    live = LiveServer.start(tmp_path_factory.mktemp("dashboard"))
    yield live
    live.stop()


@pytest.fixture
def stations() -> Iterator[StationLoop]:
    loop = StationLoop()
    yield loop
    loop.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    page.close()


def base(server: LiveServer) -> str:
    return server.api_url.removesuffix("/api/v0")


def register(page: Any, server: LiveServer, cs_id: str, any_username: bool = False) -> str:
    """Register a station through the dashboard's form; the password it shows once."""
    page.goto(base(server) + "/")
    page.click("#register summary")
    page.fill("#form-register input[name=cs_id]", cs_id)
    if any_username:
        page.check("#form-register input[name=invalidUsernameAllowed]")
    page.click("#form-register button[type=submit]")
    return page.inner_text("#station-password")


def screenshot(page: Any, name: str) -> None:
    """Always taken (a page that cannot be drawn fails here); kept in docs/screenshots only for `make screenshots`, so
    a test run leaves the tree as it was."""
    folder = Path(os.environ.get("CSMS_SCREENSHOTS", "")) if os.environ.get("CSMS_SCREENSHOTS") else None
    image = page.screenshot()
    assert image.startswith(b"\x89PNG")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(image)


def charge(stations: StationLoop, station: Any) -> str:
    """A short 1.6 charge with meter values every minute; the transaction id the CSMS gave."""

    async def session() -> str:
        await station.send("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging"})
        started = await station.send("StartTransaction", {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000,
                                                          "timestamp": "2026-01-01T10:00:00Z"})  # fmt: skip
        transaction_id = started["transactionId"]
        for minute in range(1, 11):
            sampled = [{"value": str(1000 + minute * 180), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
                       {"value": str(11000 - minute * 300), "measurand": "Power.Active.Import", "unit": "W"}]
            await station.send("MeterValues", {"connectorId": 1, "transactionId": transaction_id, "meterValue": [
                {"timestamp": f"2026-01-01T10:{minute:02d}:00Z", "sampledValue": sampled}]})  # fmt: skip
        await station.send("StopTransaction", {"transactionId": transaction_id, "meterStop": 2800,
                                               "timestamp": "2026-01-01T10:10:30Z", "reason": "Local"})  # fmt: skip
        await station.send("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"})
        return str(transaction_id)

    return stations.run(session())


def test_a_lab_session_from_registering_to_the_energy_chart(page, server, stations):
    password = register(page, server, "lab-1")
    page.goto(base(server) + "/")
    row = 'tr[data-cs-id="lab-1"]'
    page.wait_for_selector(f"{row} .badge.offline")
    station = stations.connect(recording_station(server, "lab-1", "1.6", password=password))
    page.wait_for_selector(f"{row} .badge.online")  # no reload: the live feed put the new row in
    stations.run(station.send("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}))
    page.wait_for_selector(f"{row} .connector.status-ok")
    screenshot(page, "stations")

    page.click(f"{row} a")
    page.select_option("#form-trigger select[name=trigger]", "StatusNotification")
    page.click("#form-trigger button[type=submit]")
    page.wait_for_selector("#section-commands tr[data-status=completed]")
    page.wait_for_selector("#frames tr.frame.out >> text=TriggerMessage")
    assert page.inner_text("#frames tr.frame.out td:nth-child(6)").startswith("#")  # the command it belongs to

    transaction_id = charge(stations, station)
    page.wait_for_selector(f"#section-transactions >> text={transaction_id}")
    screenshot(page, "station")
    page.locator("#section-commands").scroll_into_view_if_needed()
    screenshot(page, "station-commands")

    page.click(f"#section-transactions a >> text={transaction_id}")
    page.wait_for_selector("#chart[data-points='10'] canvas")
    screenshot(page, "transaction")

    page.goto(base(server) + "/transactions?cs=lab-1")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(row["transaction_id"], row["energy"]) for row in rows] == [(transaction_id, "1800.0")]


def test_station_text_holding_script_is_shown_as_text(page, server, stations):
    cs_id = "<script>alert('id')"  # (a station id holds no slash)
    vendor = "<script>alert('vendor')</script>"
    password = register(page, server, cs_id, any_username=True)
    page.goto(base(server) + "/")
    station = stations.connect(recording_station(server, quote(cs_id, safe=""), "2.0.1", boot=False, password=password))
    stations.run(station.send("BootNotification", {"reason": "PowerUp",
                                                   "chargingStation": {"model": "M<b>1</b>", "vendorName": vendor}}))
    row = page.wait_for_selector("#stations tbody tr:has(.badge.online)")
    assert row.query_selector("td a").inner_text() == cs_id
    page.wait_for_selector(f"#stations tbody tr >> text={vendor}")
    page.click(f"#stations tbody tr:has(.badge.online) a")
    assert page.inner_text("h1.station-id") == cs_id
    assert vendor in page.inner_text("#section-facts")
    assert page.dialogs == [] and page.query_selector_all("body script:not([src])") == []


def test_a_form_without_its_csrf_token_is_refused_in_the_browser(page, server):
    page.goto(base(server) + "/")
    page.click("#register summary")
    page.fill("#form-register input[name=cs_id]", "forged")
    page.eval_on_selector("#form-register input[name=csrf_token]", "input => input.remove()")
    page.click("#form-register button[type=submit]")
    assert "CSRF token" in page.inner_text("main")
    assert requests.get(f"{server.api_url}/cs/forged", timeout=5).status_code == 404


def test_with_a_token_configured_every_page_redirects_to_the_login(browser, tmp_path):
    guarded = LiveServer.start(tmp_path, {"CSMS_API_TOKEN": "lab-token"})
    page = browser.new_page()
    try:
        for path in ("/", "/stations/cs001", "/transactions", "/tokens", "/certificates", "/partners"):
            page.goto(base(guarded) + path)
            assert page.url.startswith(base(guarded) + "/login?next="), path
        page.fill("input[name=token]", "lab-token")
        page.click("button[type=submit]")
        page.wait_for_selector("h1 >> text=OCPI partners")
        screenshot(page, "partners")
    finally:
        page.close()
        guarded.stop()
