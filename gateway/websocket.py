"""One upgraded WebSocket over a gevent socket: wsproto framing, bounded deflate, size limit, close handshake."""
from __future__ import annotations

import copy
import logging
import socket
import time
import zlib
from typing import Iterator, Mapping

import gevent
from gevent import getcurrent
from gevent.lock import Semaphore
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    Request,
    TextMessage,
)
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import (
    CloseReason,
    FrameDecoder,
    Opcode,
    ParseFailed,
    RsvBits,
)
from wsproto.utilities import RemoteProtocolError

log = logging.getLogger(__name__)

RECEIVE_BYTES = 16384
CLOSE_GRACE = 2.0  # seconds we wait for the peer's Close before dropping the socket
SEND_TIMEOUT = 10.0  # seconds one frame may take to leave before the peer counts as gone
MEM_LEVEL = 4  # zlib's default 8 costs 128 KiB of hash table per compressing connection


class BoundedDeflate(PerMessageDeflate):
    """permessage-deflate that compresses with a small window and memLevel whatever the client offers."""

    def __init__(self, window_bits: int, max_inflated: int) -> None:
        super().__init__()
        self.limit = min(max(window_bits, 9), 15)  # what RFC 7692 allows
        self.max_inflated = max_inflated

    def frame_inbound_payload_data(self, proto, data: bytes) -> bytes | CloseReason:
        # wsproto inflates without a bound: 16 KiB read could become gigabytes before our size check runs.
        if not self._inbound_compressed or not self._inbound_is_compressible:
            return data
        try:
            inflated = self._decompressor.decompress(bytes(data), self.max_inflated + 1)
        except zlib.error:
            return CloseReason.INVALID_FRAME_PAYLOAD_DATA
        if self._decompressor.unconsumed_tail or len(inflated) > self.max_inflated:
            return CloseReason.MESSAGE_TOO_BIG
        return inflated

    def accept(self, offer: str) -> bool | None | str:
        answer = super().accept(offer)
        if answer is None:
            return None
        # RFC 7692 7.1.2.1: the server may always announce (and use) a smaller window for its own messages.
        self.server_max_window_bits = min(self.server_max_window_bits, self.limit)
        params = [part for part in str(answer).split("; ") if part and not part.startswith("server_max_window_bits")]
        params.append(f"server_max_window_bits={self.server_max_window_bits}")
        if "client_max_window_bits" in offer:
            self.client_max_window_bits = min(self.client_max_window_bits, self.limit)
            params = [part for part in params if not part.startswith("client_max_window_bits")]
            params.append(f"client_max_window_bits={self.client_max_window_bits}")
        return "; ".join(params)

    def frame_outbound(self, proto, opcode: Opcode, rsv: RsvBits, data: bytes, fin: bool) -> tuple[RsvBits, bytes]:
        if self._compressor is None and opcode in (Opcode.TEXT, Opcode.BINARY):
            self._compressor = zlib.compressobj(
                zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -self.server_max_window_bits, MEM_LEVEL
            )
        return super().frame_outbound(proto, opcode, rsv, data, fin)


_FIN_TEXT = 0x80 | Opcode.TEXT  # FIN, no RSV bits (so not compressed), text
_CONTROL = 0x08  # opcode bit of close, ping and pong
_BAD_LENGTH = 1 << 64  # a length in a form RFC 6455 forbids: over any limit, so it takes the path that asks wsproto


def _frame_header(data: bytes, position: int) -> tuple[int, bool, int, int] | None:
    """(first byte, masked, payload length, header length) of the frame at `position`; None until it is all there.

    A length not in its shortest form, or a 64-bit one with the top bit set, comes back as _BAD_LENGTH.
    """
    available = len(data) - position
    if available < 2:
        return None
    first, second = data[position], data[position + 1]
    length, header_bytes = second & 0x7F, 2
    if length == 126:
        if available < 4:
            return None
        length, header_bytes = int.from_bytes(data[position + 2 : position + 4], "big"), 4
        if length < 126:
            length = _BAD_LENGTH
    elif length == 127:
        if available < 10:
            return None
        length, header_bytes = int.from_bytes(data[position + 2 : position + 10], "big"), 10
        if length < 65536 or length >> 63:
            length = _BAD_LENGTH
    masked = bool(second & 0x80)
    return first, masked, length, header_bytes + (4 if masked else 0)


def _unmask(payload: bytes, mask: bytes) -> bytes:
    size = len(payload)
    key = (mask * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")


def _text_frame(payload: bytes) -> bytes:
    """A whole, unmasked, uncompressed text frame (what a server sends)."""
    size = len(payload)
    if size < 126:
        return bytes((_FIN_TEXT, size)) + payload
    if size < 65536:
        return bytes((_FIN_TEXT, 126)) + size.to_bytes(2, "big") + payload
    return bytes((_FIN_TEXT, 127)) + size.to_bytes(8, "big") + payload


class WebSocketClosed(Exception):
    """The socket is closed or closing; nothing more can be sent."""


class WebSocket:
    """Server side of one WebSocket: `accept`, iterate `messages()`, `send` from any greenlet, `close`."""

    def __init__(self, sock, rfile, max_message_bytes: int) -> None:
        self.sock = sock
        self.rfile = rfile
        self.max_message_bytes = max_message_bytes
        self.protocol = WSConnection(ConnectionType.SERVER)
        self.send_lock = Semaphore()
        # One repeating timer per socket, rearmed per write: cheaper than a Timeout object per frame.
        self._send_timer = gevent.get_hub().loop.timer(SEND_TIMEOUT, SEND_TIMEOUT)
        self._send_timed_out = WebSocketClosed("send timed out")
        self.last_received = self.last_ping = time.monotonic()
        self.close_code: int | None = None
        self.extensions: list[str] = []
        self._negotiated: list[BoundedDeflate] = []  # the extension objects behind `extensions`
        self._compressing = False
        self._fragmented = False  # a fragmented message is under way: its frames go to wsproto
        self._parts: list[str | bytes] = []  # what wsproto gave of the message under way
        self._size = 0

    def accept(self, headers: Mapping[str, str], subprotocol: str | None, deflate_window_bits: int | None) -> None:
        """Answer the (already checked) handshake with 101; `headers` are the request's, as the WSGI environ has them."""
        request = b"GET / HTTP/1.1\r\n" + b"".join(
            f"{name}: {value}\r\n".encode("latin-1") for name, value in headers.items()
        )
        try:
            self.protocol.receive_data(request + b"\r\n")
            event = next(self.protocol.events(), None)
        except RemoteProtocolError as error:
            raise WebSocketClosed(f"not a WebSocket handshake: {error}") from error
        if not isinstance(event, Request):
            raise WebSocketClosed(f"not a WebSocket handshake: {event!r}")
        extensions = [BoundedDeflate(deflate_window_bits, self.max_message_bytes)] if deflate_window_bits else []
        self._send(AcceptConnection(subprotocol=subprotocol, extensions=extensions))
        self._negotiated = [ext for ext in extensions if ext.enabled()]
        self.extensions = [repr(ext) for ext in self._negotiated]
        self._compressing = bool(self.extensions)

    def messages(self) -> Iterator[str | bytes]:
        """Whole messages until the connection ends; too big a message closes it with 1009.

        The common frame (one whole, masked, uncompressed text message) is read here; every other frame
        (control, fragmented, compressed, broken) goes to wsproto whole, one at a time, which keeps its state
        exact. wsproto's generic path cost 30 us of a ~250 us message at a thousand stations. A frame announcing
        more than the limit closes with 1009 before its data arrives, unless wsproto refuses its header (then
        wsproto gets just that): both paths give the same verdict on the same bytes.
        """
        buffer, skip = bytearray(), 0  # bytes of frames not yet whole; appended to, so a big frame costs no copies
        while self.protocol.state not in (ConnectionState.CLOSED, ConnectionState.REJECTING):
            try:
                data = self.rfile.read1(RECEIVE_BYTES)
            except (OSError, ValueError):
                break
            if not data:
                break
            self.last_received = time.monotonic()
            if skip:  # the rest of a frame over the limit
                data, skip = data[skip:], max(skip - len(data), 0)
            buffer += data
            data, position, end = buffer, 0, len(buffer)
            while position < end and self.protocol.state is not ConnectionState.CLOSED:
                header = _frame_header(data, position)
                if header is None:
                    break
                first, masked, length, header_bytes = header
                frame_end = position + header_bytes + length
                if length > self.max_message_bytes:
                    head = data[position : position + header_bytes]
                    if self._wsproto_refuses(head):  # its verdict needs only the header: the payload may never come
                        yield from self._to_wsproto(first, head)
                        position += header_bytes
                        continue
                    if not first & _CONTROL:  # (a control frame's header that wsproto accepts announces <= 125 bytes)
                        self.close(1009, "message too big")
                        skip, position = max(frame_end - end, 0), min(frame_end, end)
                        continue
                if frame_end > end:
                    break
                if first == _FIN_TEXT and masked and not self._fragmented and self.close_code is None:
                    mask = data[position + header_bytes - 4 : position + header_bytes]
                    try:
                        text = _unmask(data[position + header_bytes : frame_end], mask).decode()
                    except UnicodeDecodeError:
                        text = None  # wsproto closes with 1007
                    if text is not None:
                        position = frame_end
                        yield text
                        continue
                yield from self._to_wsproto(first, data[position:frame_end])
                position = frame_end
            del buffer[:position]
        self._drop()

    def _wsproto_refuses(self, header: bytes) -> bool:
        """Whether wsproto refuses this frame header on its own; asked of a copy, so the connection's state stays."""
        probe = FrameDecoder(client=False, extensions=[copy.copy(extension) for extension in self._negotiated])
        probe.receive_bytes(header)
        try:
            probe.parse_header()
        except ParseFailed:
            return True
        return False

    def _to_wsproto(self, first: int, frame: bytes) -> Iterator[str | bytes]:
        """Hand wsproto one whole frame (or a header it refuses); yield the messages that completes."""
        opcode, fin = first & 0x0F, first & 0x80
        if opcode in (Opcode.TEXT, Opcode.BINARY) and not fin:
            self._fragmented = True
        elif opcode == Opcode.CONTINUATION and fin:
            self._fragmented = False
        self.protocol.receive_data(frame)
        yield from self._protocol_events()

    def _protocol_events(self) -> Iterator[str | bytes]:
        for event in self.protocol.events():
            if isinstance(event, Message):
                if self.close_code is not None:
                    continue
                self._size += len(event.data.encode()) if isinstance(event.data, str) else len(event.data)
                if self._size > self.max_message_bytes:
                    self._parts, self._size = [], 0
                    self.close(1009, "message too big")
                    continue
                self._parts.append(event.data)
                if event.message_finished:
                    message = "".join(self._parts) if isinstance(event, TextMessage) else b"".join(self._parts)
                    self._parts, self._size = [], 0
                    yield message
            elif isinstance(event, Ping):
                self._send_quietly(event.response())
            elif isinstance(event, CloseConnection):
                if self.protocol.state is ConnectionState.REMOTE_CLOSING:
                    self._send_quietly(event.response())
                elif self.protocol.state is ConnectionState.OPEN:
                    # wsproto's verdict on a broken frame (bad UTF-8, unmasked...): close, never read on silently.
                    self.close(event.code, event.reason or "protocol error")
                self.close_code = self.close_code or event.code

    def send(self, text: str) -> None:
        """Send one text message; raises WebSocketClosed once closing."""
        with self.send_lock:
            if self.protocol.state is not ConnectionState.OPEN:
                raise WebSocketClosed("connection is closing")
            # Compressed under the lock: with context takeover the station can only inflate the frames in the
            # order they were compressed, and a greenlet may take the lock ahead of one that is waiting for it.
            self._write(self.protocol.send(TextMessage(data=text)) if self._compressing else _text_frame(text.encode()))

    def ping(self) -> None:
        self.last_ping = time.monotonic()
        self._send_quietly(Ping())

    def close(self, code: int, reason: str) -> None:
        """Start the close handshake; the socket is dropped when the peer answers or after a grace period."""
        with self.send_lock:  # checked and moved to closing in one step: a racing close must not overwrite the code
            if self.protocol.state is not ConnectionState.OPEN:
                return
            self.close_code = code
            self._send_locked_quietly(CloseConnection(code=code, reason=reason))
        gevent.spawn_later(CLOSE_GRACE, self._drop)

    def _send(self, event) -> None:
        with self.send_lock:  # wsproto's state and compressor change only under the lock, in the order frames leave
            self._write(self.protocol.send(event))

    def _write(self, data: bytes) -> None:
        """Send `data` whole; the caller holds `send_lock`."""
        # A peer that stops reading must not hold the send lock (and the greenlets pinging or closing it) forever.
        # `again` gives each write the whole SEND_TIMEOUT: a stopped timer's `start` would resume the time left.
        timer = self._send_timer
        timer.again(getcurrent().throw, self._send_timed_out, update=True)
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise WebSocketClosed(str(error)) from error
        except WebSocketClosed:
            self._drop()
            raise
        finally:
            timer.stop()

    def _send_quietly(self, event) -> None:
        with self.send_lock:
            self._send_locked_quietly(event)

    def _send_locked_quietly(self, event) -> None:
        try:
            self._write(self.protocol.send(event))
        except Exception as error:  # the peer is gone (or closing: wsproto refuses the event); the read loop notices
            log.debug("send failed: %s", error)

    def _drop(self) -> None:
        try:
            # shutdown, not just close: the rfile still references the socket, so close alone would not
            # wake a greenlet blocked reading it.
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

