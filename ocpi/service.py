"""The OCPI side of the process: the app for its listener, the watcher and the sender, and the real-time authorizer
the server hands to the OCPP handlers (handlers.authorization.remote_authorizers)."""
from __future__ import annotations

from flask import Flask

from config import Config
from ocpi.app import create_ocpi_app
from ocpi.context import OcpiContext
from ocpi.realtime import RealtimeAuthorizer
from ocpi.sender import Sender
from ocpi.watcher import Watcher
from storage import Store


class Ocpi:
    """Start after the listener knows its address (`start(base_url)`); stop before the store closes."""

    def __init__(self, config: Config, store: Store) -> None:
        self.context = OcpiContext(config, store)
        self.app: Flask = create_ocpi_app(self.context)
        self.sender = Sender(self.context)
        self.watcher = Watcher(self.context, self.sender)
        self.authorizer = RealtimeAuthorizer(self.context)

    def start(self, listening_url: str) -> None:
        """Announce `CSMS_PUBLIC_URL`, else the listener's own base URL, and start pushing."""
        self.context.base_url = (self.context.config.public_url or listening_url).rstrip("/")
        self.watcher.start()
        self.sender.start()

    def stop(self) -> None:
        self.watcher.stop()
        self.sender.stop()
