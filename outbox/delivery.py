"""Delivering one command over a station's live connection and storing what came back."""
from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ocpp.exceptions import OCPPError
from ocpp.messages import MessageType

from config import Config
from metrics import COMMANDS
from outbox import effects, results
from outbox.plan import PlannedCall, plan_calls
from protocol.errors import NotExpressible
from protocol.local_lists import LocalListState
from protocol.secrets import mask_payload
from protocol.station_log import StationLog
from protocol.validation import validate
from protocol.versions import message_family
from storage import certificates, local_lists, station_settings, stations, transactions_v16
from storage import commands as rows
from storage import utc_now_iso
from storage.database import Store

log = logging.getLogger(__name__)

# A CALLERROR to a native 1.6 InstallCertificate means "try the OCA DataTransfer form once".
_INSTALL_FALLBACK_CODES = ("NotImplemented", "NotSupported")


@dataclass
class Reply:
    """The station's answer to one call: a CALLRESULT payload, a CALLERROR, or none (timeout / closed)."""

    kind: str  # "result", "error", "timeout", "closed", "gone" (the command expired before it went out)
    message_id: str
    payload: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class StationLink(Protocol):
    """What the outbox needs of a live connection."""

    ocpp_version: str

    def send_call(self, action: str, payload: dict[str, Any], timeout: float, message_id: str) -> Reply: ...


class Delivery:
    """Sends one command's calls in order; every outcome ends up on the command row."""

    def __init__(self, store: Store, config: Config, cs_id: str, link: StationLink) -> None:
        self.store, self.config, self.cs_id, self.link = store, config, cs_id, link
        self.version = link.ocpp_version
        self.log = StationLog(log, {"cs_id": cs_id})

    def deliver(self, command: dict[str, Any]) -> None:
        """Plan, send and record `command`; returns when it is finished or back in the queue."""
        command = with_secrets(command)
        progress = (command.get("response") or {}).get("results")  # settings already answered before a retry
        try:
            calls = self._plan(command, progress or {})
        except NotExpressible as error:
            self._finish(command, "failed", {"error": {"code": "NotExpressible", "description": str(error)}})
            self.log.warning("command %s cannot be sent: %s", command["id"], error)
            return
        answers: dict[str, Any] = dict(progress or {})
        replies: list[dict[str, Any]] = []
        for call in calls:
            reply = self._send(command, call)
            if reply.kind == "gone":  # expired meanwhile: nothing more to do
                return
            if reply.kind in ("timeout", "closed"):
                self._retry(command, reply.kind, answers)
                return
            if reply.kind == "error":
                self._failed_call(command, call, reply)
                return
            replies.append(reply.payload or {})
            if command["operation"] == "reconfigure":
                answers.update(results.setting_statuses(self.version, call, reply.payload or {}))
                rows.save_progress(self.store, command["id"], {"results": answers})
        self._completed(command, calls, replies, answers)

    def accept_late(self, command: dict[str, Any], reply: Reply) -> None:
        """Finish a single-call command with an answer that arrived after its timeout."""
        if command["operation"] == "reconfigure" or not command.get("action"):
            return  # settings are resent key by key; a late answer for one of them is only logged
        # The call as it went out (planning it again could give another local list).
        calls = [PlannedCall(command["action"], command.get("request") or {})]
        if reply.kind == "error":
            self._failed_call(command, calls[0], reply)
        elif reply.kind == "result":
            self._completed(command, calls, [reply.payload or {}], {})

    # -- planning and sending ---------------------------------------------------------------------
    def _plan(self, command: dict[str, Any], answered: dict[str, str]) -> list[PlannedCall]:
        pending = None
        if command["operation"] == "reconfigure":
            pending = {name: value for name, value in command["params"].items() if name not in answered}
        calls = plan_calls(
            command, self.version, pending, connector_of_transaction=self._connector_of, local_list_of=self._local_list_of
        )
        operation = command["operation"]
        if operation == "sendLocalList" and calls[0].payload["updateType"] != command["params"]["updateType"]:
            self.log.info("command %s: Differential sent as a Full list: the station's list is not the one we know",
                          command["id"])
        for call in calls:
            try:
                validate(MessageType.Call, call.action, call.payload, self.version)
            except OCPPError as error:  # our own payload is wrong for this version: fail, never send it
                raise NotExpressible(f"{call.action} for OCPP {self.version}: {error.description}") from error
        return calls

    def _local_list_of(self, uids: list[str] | None) -> LocalListState:
        known = local_lists.get_local_list(self.store, self.cs_id)
        return LocalListState.of(known, local_lists.listable_tokens(self.store, uids))

    def _connector_of(self, transaction_id: str) -> int | None:
        row = transactions_v16.get_own_transaction(self.store, self.cs_id, transaction_id)
        return row["evse_id"] if row and row["status"] == "active" else None

    def _send(self, command: dict[str, Any], call: PlannedCall) -> Reply:
        message_id = str(uuid.uuid4())
        if not rows.mark_sent(self.store, command["id"], call.action, mask_payload(call.payload), message_id):
            return Reply("gone", "")
        try:
            return self.link.send_call(call.action, call.payload, self.config.call_timeout, message_id)
        except Exception:  # counted like a lost connection, so the attempts still run out
            self.log.exception("command %s: %s could not be sent", command["id"], call.action)
            return Reply("closed", message_id)

    # -- outcomes ------------------------------------------------------------------------------------
    def _finish(self, command: dict[str, Any], status: str, response: Any, follow_up: Any = None) -> None:
        if status == "failed":
            follow_up = effects.after_failure(command["id"], follow_up)
        rows.finish(self.store, command["id"], status, response, follow_up)
        operation = command["operation"]
        COMMANDS.labels(command["params"]["action"] if operation == "call" else operation, status).inc()

    def _retry(self, command: dict[str, Any], why: str, answers: dict[str, Any], last_response: Any = None) -> None:
        attempts = command["attempts"] + 1
        if attempts >= self.config.command_max_attempts:
            outcome: dict[str, Any] = {"error": {"code": why, "description": f"gave up after {attempts} attempts"}}
            if answers:
                outcome["results"] = answers
            if last_response is not None:
                outcome["lastResponse"] = last_response
            self._finish(command, "failed", outcome)
            return
        delay = min(self.config.command_retry_delay * 2 ** (attempts - 1), 600) * random.uniform(0.8, 1.2)
        progress = {"lastError": why, **({"results": answers} if answers else {})}
        rows.retry_later(self.store, command["id"], attempts, delay, progress)
        self.log.info("command %s: %s, retry %d in %.0f s", command["id"], why, attempts, delay)

    def _failed_call(self, command: dict[str, Any], call: PlannedCall, reply: Reply) -> None:
        code = (reply.error or {}).get("code")
        params = command["params"]
        if (
            command["operation"] == "installCertificate"
            and self.version == "1.6"
            and call.action == "InstallCertificate"
            and code in _INSTALL_FALLBACK_CODES
            and params.get("variant") != "oca"
        ):
            rows.set_params(self.store, command["id"], {**params, "variant": "oca"})
            return
        self._finish(command, "failed", {"error": reply.error})
        self.log.warning("command %s: CALLERROR %s", command["id"], code)

    def _completed(self, command: dict[str, Any], calls: list[PlannedCall], replies: list[dict[str, Any]], answers: dict[str, Any]) -> None:
        operation = command["operation"]
        if operation == "reconfigure":
            self._finish_reconfigure(command, answers)
            return
        response: Any = replies[0] if len(replies) == 1 else replies
        if operation == "installCertificate":
            status = results.certificate_status(calls[0], replies[0])
            if status is None:
                self._finish(command, "failed", {"error": {"code": "NoInstallStatus", "description": "the station's answer carries no install status"}, "response": response})
                return
            if status not in results.FINAL_CERTIFICATE_STATUSES:
                self._retry(command, f"install {status}", {}, response)
                return
            self._finish(command, "completed", response, lambda db: certificates.save_certificate_status(db, self.cs_id, command["id"], status))
            return
        answer = effects.Answer(self.cs_id, command["id"], self.version, calls[-1].payload, replies[-1])
        self._finish(command, "completed", response, effects.after_answer(calls[-1].action, answer))

    def _finish_reconfigure(self, command: dict[str, Any], statuses: dict[str, str]) -> None:
        password = results.accepted_password(self.version, command["params"], statuses)
        needs_reset = self.config.reset_on_reboot_required and results.needs_reset(statuses)
        reset = {"action": "Reset", "payload": results.RESET_TYPES[message_family(self.version)]}

        def follow_up(db: Any) -> None:
            station_settings.save_setting_statuses(db, self.cs_id, command["id"], statuses)
            if password is not None:
                stations.save_password_hash(db, self.cs_id, stations.password_hash(password))
            if needs_reset:
                rows.queue_command(db, self.cs_id, "call", reset, "automatic")

        self._finish(command, "completed", {"results": statuses}, follow_up)


def with_secrets(command: dict[str, Any]) -> dict[str, Any]:
    """The command as it must be sent: its params with the passwords, which only an open command keeps."""
    return command if command.get("secrets") is None else {**command, "params": command["secrets"]}


def seconds_until_due(command: dict[str, Any]) -> float:
    """How long until a pending command may go out again (0 when due)."""
    when = command.get("next_attempt_at")
    if not when:
        return 0.0
    delta = datetime.fromisoformat(when.replace("Z", "+00:00")) - datetime.fromisoformat(utc_now_iso().replace("Z", "+00:00"))
    return max(delta.total_seconds(), 0.0)
