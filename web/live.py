"""What feeds the live dashboard: the gateway's frame and connection hooks go to the frame log and mark what changed;
one loop reads each change once per round and sends it, rendered, to the browsers that show it (never a read per
browser)."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import orjson

from protocol.frames import CALL, CALLRESULT
from protocol.secrets import mask_payload
from storage import Store, frame_log, stations, utc_now_iso
from storage.frame_log import FrameLog
from web.feed import Feed, Subscriber, sse_event
from web.sections import station_sections

log = logging.getLogger(__name__)

ROW_ACTIONS = frozenset({"BootNotification", "StatusNotification"})  # exchanges that change a station list row
QUIET_ACTIONS = frozenset({"Heartbeat"})  # exchanges that change nothing on a station page but last seen
# A station's Heartbeats are logged and shown at most once a second: one sending more is a load test, and keeping
# each cost 14 % of the full-speed Heartbeat throughput. Every other frame is kept.
HEARTBEAT_EVERY = 1.0
ROUND_SECONDS = 0.25  # at most four publishing rounds a second, whatever the traffic
REREAD_SECONDS = 1.0  # a busy watched station's page is read again at most this often...
FOLLOW_SECONDS = 3.0  # ...and for this long after its last exchange (outcomes are stored after the answer arrives)
Render = Callable[..., str]  # (macro name, **arguments) -> HTML


def masked_frame(text: str) -> str:
    """A frame with any password in its payload masked (our calls and the answers to them may carry some)."""
    try:
        message = orjson.loads(text)
        payload = message[-1] if isinstance(message, list) and message else None
    except (orjson.JSONDecodeError, TypeError):
        return text
    shown = mask_payload(payload)
    return text if shown == payload else orjson.dumps([*message[:-1], shown]).decode()


class Live:
    """Taps for the gateway's hooks and the publishing loop."""

    def __init__(self, feed: Feed, store: Store, render: Render, frames: FrameLog | None) -> None:
        self.feed, self.store, self.render, self.frames = feed, store, render, frames
        self._rows: set[str] = set()  # station list rows to read again
        self._due: dict[str, float] = {}  # watched station -> when to read its page again
        self._until: dict[str, float] = {}  # watched station -> follow it until
        self._new_frames: list[tuple] = []  # frames of watched stations
        self._shown: dict[str, dict[str, str]] = {}  # watched station -> section -> the HTML last sent
        self._heartbeat_at: dict[str, float] = {}  # station -> when its last Heartbeat was kept
        self._wake = threading.Event()

    def attach(self, hooks: Any) -> None:
        """Subscribe to the gateway's hooks (gateway.registry.Hooks)."""
        hooks.frame.append(self.on_frame)
        for name in ("connected", "disconnected", "boot_accepted", "boot_pending"):
            getattr(hooks, name).append(lambda connection: self.station_changed(connection.cs_id))

    def on_frame(
        self, cs_id: str, direction: str, message_type: int | None, message_id: str | None, action: str | None,
        text: str, reply: str | None,
    ) -> None:
        """The gateway's `frame` hook: inline on the station's greenlet, so it only takes note."""
        if action == "Heartbeat":
            now = time.monotonic()
            if now - self._heartbeat_at.get(cs_id, -HEARTBEAT_EVERY) < HEARTBEAT_EVERY:
                return
            self._heartbeat_at[cs_id] = now
        if (direction == "out" and message_type == CALL) or message_type == CALLRESULT:
            text = masked_frame(text)  # only our calls and their answers: rare
        at = utc_now_iso()
        if self.frames is not None:
            self.frames.record(cs_id, direction, message_type, message_id, action, text, reply, at)
        if action in ROW_ACTIONS and self.feed.listeners:
            self._rows.add(cs_id)
            self._wake.set()
        if cs_id in self.feed.watchers:
            self._new_frames.append((cs_id, at, direction, message_type, message_id, action, text, reply))
            self._follow(cs_id, urgent=action not in QUIET_ACTIONS)

    def catch_up(self, subscriber: Subscriber, since: str) -> None:
        """Give a station page that just subscribed the frames logged since it was rendered (a command's CALL often
        goes out between the two); the page drops any it has twice."""
        if self.frames is None or subscriber.station is None:
            return
        self.store.write(lambda db: None)  # the frames logged so far are committed after this write
        frames = [frame for frame in frame_log.list_frames(self.store, subscriber.station) if frame["at"] >= since]
        if frames:
            subscriber.push(sse_event("frames", {"html": self.render("frame_rows", frames=frames)}))

    def station_changed(self, cs_id: str) -> None:
        """The station's row changed (connected, disconnected, booted, registered): show it again."""
        self._rows.add(cs_id)
        self._follow(cs_id, urgent=True)

    def _follow(self, cs_id: str, urgent: bool) -> None:
        now = time.monotonic()
        self._until[cs_id] = now + FOLLOW_SECONDS
        self._due[cs_id] = min(self._due.get(cs_id, now + REREAD_SECONDS), now if urgent else now + REREAD_SECONDS)
        self._wake.set()

    def run(self) -> None:
        """The publishing loop (a greenlet of the server): one round per wake-up, at most every ROUND_SECONDS."""
        while True:
            self._wake.wait(ROUND_SECONDS if self._due else 5.0)
            self._wake.clear()
            try:
                self.publish_round()
            except Exception:  # a locked database or a bug must not end the live view
                log.exception("live feed round failed")
            time.sleep(ROUND_SECONDS)

    def start(self) -> None:
        threading.Thread(target=self.run, name="web-live", daemon=True).start()

    def publish_round(self) -> None:
        """Send what changed since the last round: station list rows, new frames, watched stations' sections."""
        rows, self._rows = self._rows, set()
        new_frames, self._new_frames = self._new_frames, []
        if rows and self.feed.listeners:
            for station in stations.list_station_overview(self.store, sorted(rows)):
                html = self.render("station_row", station=station)
                self.feed.to_listeners(sse_event("station", {"id": station["id"], "html": html}))
        if new_frames:
            self._publish_frames(new_frames)
        self._publish_sections()

    def _publish_frames(self, new_frames: list[tuple]) -> None:
        by_station: dict[str, list[dict[str, Any]]] = {}
        for cs_id, at, direction, message_type, message_id, action, text, reply in new_frames:
            by_station.setdefault(cs_id, []).append({
                "cs_id": cs_id, "at": at, "direction": direction, "message_type": message_type,
                "message_id": message_id, "action": action, "frame": text, "reply": reply,
            })  # fmt: skip
        for cs_id, frames in by_station.items():
            if cs_id not in self.feed.watchers:
                continue
            ours = [frame["message_id"] for frame in frames if frame["direction"] == "out" or frame["message_type"] != CALL]
            commands = self.store.read(lambda db: frame_log.commands_of_messages(db, cs_id, ours)) if ours else {}
            for frame in frames:
                frame["command_id"] = commands.get(frame["message_id"])
            html = self.render("frame_rows", frames=list(reversed(frames)))
            self.feed.to_watchers(cs_id, sse_event("frames", {"html": html}))

    def _publish_sections(self) -> None:
        now = time.monotonic()
        for cs_id, due in list(self._due.items()):
            if cs_id not in self.feed.watchers:
                self._forget(cs_id)
                continue
            if due > now:
                continue
            if self._until.get(cs_id, 0) > now:
                self._due[cs_id] = now + REREAD_SECONDS
            else:
                self._forget(cs_id)
            self._send_sections(cs_id)
        for cs_id in [cs_id for cs_id in self._shown if cs_id not in self.feed.watchers]:
            del self._shown[cs_id]

    def _forget(self, cs_id: str) -> None:
        self._due.pop(cs_id, None)
        self._until.pop(cs_id, None)

    def _send_sections(self, cs_id: str) -> None:
        sections = station_sections(self.store, cs_id)
        if sections is None:
            return
        shown = self._shown.setdefault(cs_id, {})
        changed = {}
        for name, data in sections.items():
            html = self.render(f"{name}_section", **data)
            if shown.get(name) != html:
                shown[name] = changed[name] = html
        if changed:
            self.feed.to_watchers(cs_id, sse_event("sections", changed))
