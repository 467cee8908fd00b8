"""Settings asked of each station through /reconfigure, and what the station answered for each."""
from __future__ import annotations

import sqlite_utils

from storage import utc_now_iso
from storage.database import Store


def record_setting(
    db: sqlite_utils.Database, cs_id: str, name: str, value: str, status: str, command_id: int | None
) -> None:
    """Set one requested setting of the station (value, status, its command), inside a write job."""
    row = {"cs_id": cs_id, "name": name, "value": value, "status": status, "command_id": command_id}
    db["station_settings"].upsert({**row, "updated_at": utc_now_iso()}, pk=("cs_id", "name"))


def save_setting_statuses(db: sqlite_utils.Database, cs_id: str, command_id: int, statuses: dict[str, str]) -> None:
    """Record the station's answer per setting name (inside the caller's write job)."""
    now = utc_now_iso()
    for name, status in statuses.items():
        db["station_settings"].upsert(
            {"cs_id": cs_id, "name": name, "status": status, "command_id": command_id, "updated_at": now},
            pk=("cs_id", "name"),
        )


def settings_after_reboot(store: Store, cs_id: str) -> None:
    """A new BootNotification means settings that waited for a reboot are now in force."""
    store.write(
        lambda db: db.execute(
            "UPDATE station_settings SET status = 'Accepted', updated_at = ? WHERE cs_id = ? AND status = 'RebootRequired'",
            [utc_now_iso(), cs_id],
        )
    )
