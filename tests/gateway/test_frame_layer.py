"""The WebSocket frame layer over a raw socket: whole text frames read inline, everything else through wsproto."""
from __future__ import annotations

import base64
import json
import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.conftest import STATION_PASSWORD, basic_auth
from tests.gateway.conftest import add_station

HEARTBEAT = b'[2,"hb","Heartbeat",{}]'
TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


def client_frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = True, rsv: int = 0) -> bytes:
    """A frame as a client sends it (masked unless told otherwise)."""
    first = (0x80 if fin else 0) | rsv | opcode
    size = len(payload)
    if size < 126:
        header = bytes((first, (0x80 if masked else 0) | size))
    elif size < 65536:
        header = bytes((first, (0x80 if masked else 0) | 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((first, (0x80 if masked else 0) | 127)) + size.to_bytes(8, "big")
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


class RawStation:
    """A station speaking WebSocket over a plain socket: nothing between the test's bytes and the server."""

    def __init__(self, server, cs_id: str, subprotocol: str = "ocpp1.6") -> None:
        url = urlsplit(f"{server.ws_url}/{cs_id}")
        self.sock = socket.create_connection((url.hostname, url.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        headers = {"Host": url.netloc, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
                   "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": subprotocol} | basic_auth(cs_id, STATION_PASSWORD)
        request = f"GET {url.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        response, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert response.startswith(b"HTTP/1.1 101"), response

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def frame(self) -> tuple[int, bytes]:
        """The next frame from the server: (opcode, payload); server frames are never masked."""
        first, second = self._read(2)
        assert not second & 0x80
        size = second & 0x7F
        if size == 126:
            size = int.from_bytes(self._read(2), "big")
        elif size == 127:
            size = int.from_bytes(self._read(8), "big")
        return first & 0x0F, self._read(size)

    def answer(self) -> list:
        """The next text message, skipping pings."""
        while True:
            opcode, payload = self.frame()
            if opcode == TEXT:
                return json.loads(payload)
            assert opcode == PING, (opcode, payload)

    def close_code(self) -> int:
        """The code of the server's Close frame (texts and pings before it skipped)."""
        while True:
            opcode, payload = self.frame()
            if opcode == CLOSE:
                return int.from_bytes(payload[:2], "big")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw(gateway_server, cs_id):
    add_station(gateway_server, cs_id)
    stations: list[RawStation] = []

    def open_station(subprotocol: str = "ocpp1.6") -> RawStation:
        stations.append(RawStation(gateway_server, cs_id, subprotocol))
        return stations[-1]

    yield open_station
    for station in stations:
        station.close()


def test_two_frames_in_one_packet_are_both_answered(raw):
    station = raw()
    station.send(client_frame(TEXT, b'[2,"a","Heartbeat",{}]') + client_frame(TEXT, b'[2,"b","Heartbeat",{}]'))
    assert [station.answer()[1], station.answer()[1]] == ["a", "b"]


def test_a_frame_sent_byte_by_byte_is_answered(raw):
    station = raw()
    data = client_frame(TEXT, b'[2,"slow","DataTransfer",{"vendorId":"x","data":"' + b"y" * 300 + b'"}]')
    for index in range(len(data)):
        station.send(data[index : index + 1])
    assert station.answer()[:2] == [3, "slow"]


def test_a_large_frame_in_many_reads_is_answered(raw):
    station = raw()
    station.send(client_frame(TEXT, b'[2,"big","DataTransfer",{"vendorId":"x","data":"' + b"y" * 200_000 + b'"}]'))
    assert station.answer()[:2] == [3, "big"]


def test_a_fragmented_message_is_joined(raw):
    station = raw()
    station.send(client_frame(TEXT, b'[2,"frag",', fin=False))
    station.send(client_frame(PING, b"between fragments"))
    assert station.frame() == (PONG, b"between fragments")
    station.send(client_frame(CONTINUATION, b'"Heartbeat",', fin=False) + client_frame(CONTINUATION, b"{}]"))
    assert station.answer()[:2] == [3, "frag"]
    station.send(client_frame(TEXT, HEARTBEAT))
    assert station.answer()[:2] == [3, "hb"]


def test_a_text_frame_inside_a_fragmented_message_is_a_protocol_error(raw):
    station = raw()
    station.send(client_frame(TEXT, b'[2,"frag",', fin=False) + client_frame(TEXT, HEARTBEAT))
    assert station.close_code() == 1002


@pytest.mark.parametrize(
    "frame, code",
    [
        (client_frame(TEXT, b'[2,"x","Heartbeat",{"a":"\xff"}]'), 1007),
        (client_frame(TEXT, HEARTBEAT, masked=False), 1002),
        (client_frame(TEXT, HEARTBEAT, rsv=0x40), 1002),
        (client_frame(PING, b"p" * 126), 1002),
        (client_frame(0x3, b"reserved opcode"), 1002),
    ],
    ids=["bad-utf8", "unmasked", "rsv1-not-negotiated", "long-ping", "reserved-opcode"],
)
def test_broken_frames_close_with_the_right_code(raw, frame, code):
    station = raw()
    station.send(frame)
    assert station.close_code() == code


def test_a_frame_announcing_more_than_the_limit_closes_before_its_data_arrives(raw):
    station = raw()
    header = bytes((0x81, 0x80 | 127)) + (2 * 1024 * 1024).to_bytes(8, "big") + os.urandom(4)
    station.send(header)
    assert station.close_code() == 1009


def test_binary_frames_are_dropped_in_16_and_refused_in_201(raw):
    station = raw()
    station.send(client_frame(BINARY, HEARTBEAT) + client_frame(TEXT, HEARTBEAT))
    assert station.answer()[:2] == [3, "hb"]
    station.close()
    station = raw("ocpp2.0.1")
    station.send(client_frame(BINARY, HEARTBEAT))
    assert station.answer()[:3] == [4, "-1", "RpcFrameworkError"]


def test_the_close_handshake_is_answered(raw):
    station = raw()
    station.send(client_frame(CLOSE, (1000).to_bytes(2, "big") + b"bye"))
    assert station.close_code() == 1000


def test_long_answers_use_the_longer_length_forms(raw):
    station = raw()
    for size in (200, 70_000):  # 16-bit and 64-bit lengths
        data = "y" * size
        station.send(client_frame(TEXT, json.dumps([2, f"s{size}", "DataTransfer", {"vendorId": "x", "data": data}]).encode()))
        assert station.answer()[:2] == [3, f"s{size}"]
