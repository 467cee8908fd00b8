"""The Routes registry: each OCPP version's handlers by action, with the CALL and our answer checked by its schemas."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from ocpp.exceptions import InternalError, NotImplementedError as OcppNotImplemented, NotSupportedError, OCPPError
from ocpp.messages import MessageType

from config import Config
from pki.local_ca import LocalCA
from protocol.errors import trimmed
from protocol.validation import known_actions, validate
from storage import Store
from storage.database import StorageFull


@dataclass
class CallContext:
    """What a handler knows about the CALL it answers."""

    cs_id: str
    message_id: str
    action: str
    ocpp_version: str
    store: Store
    config: Config
    log: logging.LoggerAdapter
    ca: LocalCA | None = None  # the local CA: signs CSRs, answers OCSP
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[CallContext, dict], dict]


class Routes:
    """Handlers of one OCPP version, by action name."""

    def __init__(self, ocpp_version: str) -> None:
        self.ocpp_version = ocpp_version
        self.handlers: dict[str, Handler] = {}

    def on(self, action: str) -> Callable[[Handler], Handler]:
        """Register the decorated function as the answer to `action`."""

        def register(handler: Handler) -> Handler:
            if action in self.handlers:
                raise ValueError(f"{action} already has a handler for OCPP {self.ocpp_version}")
            self.handlers[action] = handler
            return handler

        return register

    def handle_call(self, ctx: CallContext, payload: Any) -> dict:
        """Validate a station CALL, run its handler, validate and return the CALLRESULT payload.

        Raises OCPPError (spell its code with `protocol.errors.error_code`) for anything the station must hear
        as a CALLERROR.
        """
        handler = self.handlers.get(ctx.action)
        if handler is None:
            raise self._unhandled(ctx.action)
        validate(MessageType.Call, ctx.action, payload, self.ocpp_version)
        try:
            result = handler(ctx, payload)
        except OCPPError:
            raise
        except StorageFull as error:  # refused, never acknowledged: the station keeps it and sends it again
            ctx.log.error("%s %s: not stored: %s", ctx.action, ctx.message_id, error)
            raise InternalError(description="the CSMS cannot store this message now (its database is full)")
        except Exception:
            ctx.log.exception("%s %s: handler failed", ctx.action, ctx.message_id)
            raise InternalError(description="the CSMS failed to handle this message")
        try:
            validate(MessageType.CallResult, ctx.action, result, self.ocpp_version)
        except OCPPError as error:
            ctx.log.error("%s %s: our answer does not fit the schema: %s", ctx.action, ctx.message_id, error.description)
            raise InternalError(description="the CSMS built an invalid answer")
        return result

    def _unhandled(self, action: str) -> OCPPError:
        # The spec's words: NotSupported for an action "recognized but not supported by the receiver" (one the
        # version defines, e.g. RequestStartTransaction sent by a station), NotImplemented for one "not known".
        if action in known_actions(self.ocpp_version):
            return NotSupportedError(description=f"{action} is not taken from a charging station")
        return OcppNotImplemented(description=f"{trimmed(action, 60)} is not an OCPP {self.ocpp_version} action")
