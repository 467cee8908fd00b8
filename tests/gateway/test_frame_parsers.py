"""The server's inline frame reader and a pure wsproto reading of the same bytes reach the same outcome."""
from __future__ import annotations

import socket
import zlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Request,
    TextMessage,
)

from gateway.websocket import RECEIVE_BYTES, BoundedDeflate, WebSocket
from tests.gateway.websocket_pair import (
    DEFLATE_WINDOW_BITS,
    SUBPROTOCOL,
    accept,
    handshake_request,
)

LIMITS = [100, 200]  # max_message_bytes: below and above a control frame's 125 bytes, which no limit applies to
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
RSV1, RSV2, RSV3 = 0x40, 0x20, 0x10
HEARTBEAT, MASK = b'[2,"a","Heartbeat",{}]', b"\x01\x02\x03\x04"
Outcome = tuple[list, "int | None"]  # messages delivered, then the close code (None: still open at the end)


def header(first: int, masked: bool, length: int, encoding: str) -> bytes:
    """A frame header announcing `length` in the form `encoding` names: minimal, 16, 64, or 64 with the MSB set."""
    mask_bit = 0x80 if masked else 0
    if encoding == "16":
        return bytes((first, mask_bit | 126)) + length.to_bytes(2, "big")
    if encoding in ("64", "64-msb"):
        return bytes((first, mask_bit | 127)) + (length | (1 << 63 if encoding == "64-msb" else 0)).to_bytes(8, "big")
    if length < 126:
        return bytes((first, mask_bit | length))
    return header(first, masked, length, "16" if length < 65536 else "64")


def frame(first: int, payload: bytes, masked: bool = True, encoding: str = "minimal", mask: bytes = MASK) -> bytes:
    """A whole frame as a station sends it, masked unless told otherwise."""
    if not masked:
        return header(first, False, len(payload), encoding) + payload
    return header(first, True, len(payload), encoding) + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def deflated(text: str) -> bytes:
    """A message payload as a permessage-deflate client sends it (window within what the server accepts)."""
    compressor = zlib.compressobj(wbits=-DEFLATE_WINDOW_BITS)
    return (compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH))[:-4]


payloads = st.one_of(
    st.text(max_size=120).map(str.encode),
    st.text(min_size=150, max_size=260).map(str.encode),  # around the limit
    st.binary(max_size=260),
    st.text(max_size=300).map(deflated),
    st.builds(
        lambda code, reason: code.to_bytes(2, "big") + reason.encode(),
        st.one_of(st.sampled_from([1000, 1001, 1011, 4000]), st.integers(0, 5000)),
        st.text(max_size=10),
    ),
)


@st.composite
def frames(draw: st.DrawFn) -> bytes:
    """One frame, mostly sensible, with any opcode, FIN, RSV bits, mask, length encoding and payload."""
    opcode = draw(st.sampled_from([TEXT] * 6 + [CONTINUATION] * 2 + [BINARY, CLOSE, PING, PONG, 0x3, 0xB]))
    fin = draw(st.sampled_from([True] * 3 + [False]))
    rsv = draw(st.sampled_from([0] * 6 + [RSV1] * 3 + [RSV2, RSV3]))
    encoding = draw(st.sampled_from(["minimal"] * 6 + ["16", "64", "64-msb"]))
    masked = draw(st.sampled_from([True] * 8 + [False]))
    return frame((0x80 if fin else 0) | rsv | opcode, draw(payloads), masked, encoding, draw(st.binary(min_size=4, max_size=4)))


@st.composite
def fragmented_messages(draw: st.DrawFn) -> bytes:
    """A valid text message split into frames, compressed or not."""
    text = draw(st.text(max_size=300))
    compressed = draw(st.booleans())
    data = deflated(text) if compressed else text.encode()
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=3)))
    pieces = [data[start:end] for start, end in zip([0, *cuts], [*cuts, len(data)])]
    opcodes = [TEXT | (RSV1 if compressed else 0)] + [CONTINUATION] * (len(pieces) - 1)
    return b"".join(
        frame((0x80 if index == len(pieces) - 1 else 0) | opcode, piece) for index, (opcode, piece) in enumerate(zip(opcodes, pieces))
    )


@st.composite
def announcements(draw: st.DrawFn) -> bytes:
    """A last frame whose header alone is there: lengths past the limit in every encoding, valid or not."""
    first = draw(st.sampled_from([0x80 | TEXT, TEXT, 0x80 | BINARY, CONTINUATION, 0x80 | TEXT | RSV1, 0x80 | TEXT | RSV2, 0x80 | PING, 0x83]))
    length = draw(st.one_of(st.integers(max(LIMITS) + 1, 65535), st.integers(65536, (1 << 63) - 1)))
    encoding = draw(st.sampled_from(["minimal", "16", "64", "64-msb"]))
    masked = draw(st.sampled_from([True] * 3 + [False]))
    return header(first, masked, length & 0xFFFF if encoding == "16" else length, encoding) + (b"\x00" * 4 if masked else b"")


streams = st.builds(
    lambda parts, last: b"".join(parts) + last,
    st.lists(st.one_of(frames(), fragmented_messages()), max_size=6),
    st.one_of(st.just(b""), announcements()),
)


class Chunks:
    """The server's rfile: the stream in reads of at most `chunk` bytes, then end of file."""

    def __init__(self, data: bytes, chunk: int) -> None:
        self.data, self.chunk, self.position = data, chunk, 0

    def read1(self, size: int) -> bytes:
        start, self.position = self.position, min(self.position + min(size, self.chunk), len(self.data))
        return self.data[start : self.position]


def server_outcome(stream: bytes, chunk: int, deflate: bool, limit: int) -> Outcome:
    """What `WebSocket.messages()` (fast path and wsproto together, as the server runs it) makes of the stream."""
    _, request = handshake_request(deflate)
    server_sock, station_sock = socket.socketpair()  # takes the server's 101, pongs and closes, unread
    with station_sock:
        ws = WebSocket(server_sock, Chunks(stream, chunk), limit)
        accept(ws, request, deflate)
        messages = list(ws.messages())
    return messages, ws.close_code


def wsproto_outcome(stream: bytes, deflate: bool, limit: int) -> Outcome:
    """wsproto alone (with the deflate extension the server negotiates) reading the stream, and the server's limit:
    a message past it, or a data frame header wsproto accepts announcing more than it, closes with 1009."""
    _, request = handshake_request(deflate)
    connection = WSConnection(ConnectionType.SERVER)
    connection.receive_data(request)
    assert isinstance(next(connection.events()), Request)
    extensions = [BoundedDeflate(DEFLATE_WINDOW_BITS, limit)] if deflate else []
    connection.send(AcceptConnection(subprotocol=SUBPROTOCOL, extensions=extensions))
    decoder = connection.connection._proto._frame_decoder  # wsproto's own framing: where a header ends and how long its frame is
    messages: list = []
    parts: list = []
    size = position = 0
    while True:
        step = 1  # header bytes one at a time, to see the moment wsproto accepts a header
        if decoder.header is not None:
            if not decoder.header.opcode.iscontrol() and decoder.header.payload_len > limit:
                return messages, 1009
            step = decoder.header.payload_len - decoder.payload_consumed  # then the payload whole, as the server reads it
        if position == len(stream):
            return messages, None
        connection.receive_data(stream[position : position + step])
        position = min(position + step, len(stream))
        for event in connection.events():
            if isinstance(event, CloseConnection):
                return messages, event.code
            if isinstance(event, Message):
                size += len(event.data.encode() if isinstance(event, TextMessage) else event.data)
                if size > limit:
                    return messages, 1009
                parts.append(event.data)
                if event.message_finished:
                    messages.append("".join(parts) if isinstance(event, TextMessage) else b"".join(parts))
                    parts, size = [], 0


@settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams, chunk=st.sampled_from([1, 3, 7, 64, RECEIVE_BYTES]), deflate=st.booleans(), limit=st.sampled_from(LIMITS))
@example(stream=frame(0x81, HEARTBEAT, encoding="16"), chunk=RECEIVE_BYTES, deflate=False, limit=200)  # 22 bytes, 16-bit form
@example(stream=frame(0x81, HEARTBEAT, encoding="64"), chunk=RECEIVE_BYTES, deflate=True, limit=200)  # 22 bytes, 64-bit form
@example(stream=header(0x81, True, 1 << 20, "64-msb") + MASK, chunk=RECEIVE_BYTES, deflate=False, limit=200)
@example(stream=header(0x89, True, 1 << 20, "64") + MASK, chunk=RECEIVE_BYTES, deflate=False, limit=200)  # a huge ping
@example(stream=header(0x81, False, 1 << 20, "64"), chunk=RECEIVE_BYTES, deflate=False, limit=200)  # unmasked and huge
@example(stream=header(0x81, True, 1 << 20, "64") + MASK, chunk=RECEIVE_BYTES, deflate=False, limit=200)  # valid: 1009
@example(stream=frame(0x89, b"p" * 120), chunk=RECEIVE_BYTES, deflate=False, limit=100)  # a ping is no message
def test_the_fast_path_and_wsproto_agree(stream: bytes, chunk: int, deflate: bool, limit: int):
    assert server_outcome(stream, chunk, deflate, limit) == wsproto_outcome(stream, deflate, limit)
