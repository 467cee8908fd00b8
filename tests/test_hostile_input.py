"""Input a hostile or broken station can send is refused cheaply: NaN, control characters, huge multipliers, 2.1 types."""
from __future__ import annotations

import time

from gateway import rpc
from gateway.handshake import station_id
from handlers.meter_values import sampled_value_row


def test_nan_and_infinity_are_not_json():
    for constant in ("NaN", "Infinity", "-Infinity"):
        frame = rpc.parse(f'[2,"1","MeterValues",{{"v":{constant}}}]', "2.0.1")
        assert isinstance(frame, rpc.BadFrame)


def test_control_characters_in_the_station_id_are_refused():
    assert station_id("/ws/CS\n2026-01-01 INFO forged") is None
    assert station_id("/ws/CS\x7f") is None
    assert station_id("/ws/CS-1") == "CS-1"


def test_a_huge_multiplier_is_ignored_at_once():
    started = time.monotonic()
    row = sampled_value_row({"value": 1.5, "unitOfMeasure": {"unit": "Wh", "multiplier": 10**8}}, "2026-01-01T00:00:00Z")
    assert row["value_number"] is None and time.monotonic() - started < 0.1
    assert sampled_value_row({"value": 1.5, "unitOfMeasure": {"multiplier": 3}}, "t")["value_number"] == 1500.0


def test_21_message_types_5_and_6_are_tolerated():
    for message_type in (5, 6):
        frame = rpc.parse(f'[{message_type},"1","NotifyPeriodicEventStream",{{}}]', "2.1")
        assert isinstance(frame, rpc.BadFrame) and frame.reply is None
    refused = rpc.parse('[5,"1","X",{}]', "2.0.1")
    assert isinstance(refused, rpc.BadFrame) and "MessageTypeNotSupported" in refused.reply
