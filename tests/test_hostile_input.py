"""Input a hostile or broken station can send is refused cheaply: NaN, control characters, huge multipliers, 2.1 types."""
from __future__ import annotations

import time

from protocol import frames as rpc
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


def test_compressed_frames_inflate_only_up_to_the_message_limit():
    import zlib

    from gateway.websocket import BoundedDeflate
    from wsproto.frame_protocol import CloseReason

    deflate = BoundedDeflate(10, max_inflated=1024)
    deflate._inbound_compressed, deflate._inbound_is_compressible = True, True
    deflate._decompressor = zlib.decompressobj(-15)
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = bomb.compress(b"x" * 10_000_000) + bomb.flush(zlib.Z_SYNC_FLUSH)
    assert len(data) < 20_000
    assert deflate.frame_inbound_payload_data(None, data) is CloseReason.MESSAGE_TOO_BIG


def test_the_throttle_holds_a_bounded_number_of_keys(monkeypatch):
    from gateway import throttle

    monkeypatch.setattr(throttle, "MAX_KEYS", 100)
    limiter = throttle.Throttle(5, 60)
    for number in range(1000):
        limiter.fail(f"address 10.0.{number // 256}.{number % 256}")
    assert len(limiter._failures) <= 101
