"""A service the CSMS calls over HTTP (an OCSP responder, a contract certificate provider), run by a test on
127.0.0.1: each POST's body and headers go to `answer`, whose bytes are the reply."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Callable

Answer = Callable[[bytes, dict[str, str]], bytes]


class HttpPeer:
    """POSTs to `url` are answered by `answer(body, headers)` until `stop()`."""

    def __init__(self, answer: Answer, path: str = "/") -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                reply = answer(self.rfile.read(int(self.headers["Content-Length"])), dict(self.headers))
                self.send_response(200)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}{path}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.http.shutdown()
