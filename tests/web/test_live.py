"""The live feed's parts without sockets: the bounded frame log, masking, bounded browser queues, one round's events."""
from __future__ import annotations

import orjson
import pytest

from protocol.secrets import MASK
from storage import Store, frame_log
from storage.frame_log import TRIM_SLACK, FrameLog
from web import renderer
from web.feed import MAX_QUEUED, Feed, sse_event
from web.live import Live, masked_frame
from tests.web.conftest import HOSTILE_VENDOR


def settle(store: Store) -> None:
    """Wait until the best-effort writes queued so far are committed."""
    store.write(lambda db: None)


def test_the_frame_log_keeps_each_stations_newest_frames_only(store):
    log = FrameLog(store, per_station=20)
    for n in range(200):
        log.record("busy", "in", 2, f"m{n}", "MeterValues", f'[2,"m{n}","MeterValues",{{}}]', f'[3,"m{n}",{{}}]')
    log.record("quiet", "in", 2, "q1", "Heartbeat", '[2,"q1","Heartbeat",{}]', None)
    settle(store)
    busy = frame_log.list_frames(store, "busy", limit=1000)
    assert 20 <= len(busy) < 20 + TRIM_SLACK
    assert busy[0]["message_id"] == "m199" and busy[0]["reply"] == '[3,"m199",{}]'
    assert [frame["message_id"] for frame in frame_log.list_frames(store, "quiet")] == ["q1"]


def test_a_station_flooding_heartbeats_has_one_a_second_logged(store):
    live = Live(Feed(), store, lambda macro, **_: "", FrameLog(store))
    for n in range(5):
        live.on_frame("flood", "in", 2, f"h{n}", "Heartbeat", f'[2,"h{n}","Heartbeat",{{}}]', None)
        live.on_frame("flood", "in", 2, f"s{n}", "StatusNotification", f'[2,"s{n}","StatusNotification",{{}}]', None)
    settle(store)
    logged = [frame["message_id"] for frame in frame_log.list_frames(store, "flood")]
    assert logged == ["s4", "s3", "s2", "s1", "s0", "h0"]


@pytest.mark.parametrize(
    "frame",
    [
        [2, "1", "ChangeConfiguration", {"key": "AuthorizationKey", "value": "0011223344556677"}],
        [2, "2", "SetVariables", {"setVariableData": [{"attributeValue": "hunter2hunter2",
          "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}]}],
    ],
)  # fmt: skip
def test_passwords_in_our_calls_never_reach_the_frame_log(frame):
    shown = masked_frame(orjson.dumps(frame).decode())
    assert "0011223344556677" not in shown and "hunter2hunter2" not in shown and MASK in shown


def test_a_slow_browser_loses_its_oldest_events_and_never_blocks_the_publisher():
    feed = Feed()
    subscriber = feed.subscribe(None)
    for n in range(MAX_QUEUED * 3):
        feed.to_listeners(sse_event("n", n))
    stream = feed.stream(subscriber)
    assert next(stream).startswith(b"retry:")
    chunk = next(stream)
    assert chunk.count(b"event: n") == MAX_QUEUED
    assert chunk.startswith(sse_event("n", MAX_QUEUED * 2))
    stream.close()
    assert feed.listeners == set()


def test_a_round_sends_each_change_once_rendered_and_escaped(app, store, booted):
    booted("cs001", vendor=HOSTILE_VENDOR)
    feed = Feed()
    live = Live(feed, store, renderer(app), FrameLog(store))
    listener, watcher = feed.subscribe(None), feed.subscribe("cs001")
    live.station_changed("cs001")
    live.on_frame("cs001", "in", 2, "m1", "Heartbeat", '[2,"m1","Heartbeat",{}]', '[3,"m1",{"currentTime":"x"}]')
    live.publish_round()
    [row] = listener.events
    assert row.startswith(b"event: station\n") and b"&lt;script&gt;" in row and b"<script>" not in row
    names = [event.split(b"\n")[0] for event in watcher.events]
    assert names == [b"event: frames", b"event: sections"]
    sections = orjson.loads(watcher.events[1].split(b"data: ")[1])
    assert set(sections) == {"facts", "connectors", "commands", "transactions"}
    watcher.events.clear()
    live.station_changed("cs001")
    live.publish_round()
    assert not watcher.events  # nothing changed: nothing sent again
