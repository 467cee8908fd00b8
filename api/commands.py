"""Operations that queue commands for a station (reconfigure, certificates, trigger, charging profile) and the outbox view."""
from __future__ import annotations

from typing import Any, Callable

import sqlite_utils
from flask import Response
from flask.views import MethodView
from flask_smorest import abort

import storage
from api.errors import Blueprint
from api.responses import empty
from api.stations import require_station
from protocol.secrets import split_secrets
from pki.fingerprints import certificate_id
from schemas.certificates import parse_certificate
from schemas.charging_profiles import ProfileError, build_request, check_expressible_in_16
from schemas.commands import (
    ChargeStationInstallCertificatesSchema,
    ChargeStationSettingsSchema,
    ChargeStationTriggerSchema,
    ChargingProfileSchema,
    CommandListArgsSchema,
    CommandSchema,
)
from schemas.common import StatusSchema
from schemas.station_settings import setting_problem
from storage import commands, station_settings, stations, transactions
from storage.certificates import record_station_certificate

blp = Blueprint("commands", __name__, description="Commands to charge stations")


def _write(cs_id: str, job: Callable[[sqlite_utils.Database], None]) -> None:
    """Write the operation's rows and commands in one transaction; 404 if the station went meanwhile."""
    if not stations.write_if_station(storage.current(), cs_id, job):
        abort(404, message=f"unknown charge station {cs_id!r}")


def queue_reconfigure(cs_id: str, settings: dict[str, str]) -> None:
    """Queue the settings (checked for the station's version) as one provisioning command, each recorded Pending."""
    version = require_station(cs_id)["ocpp_version"]
    for name, value in settings.items():
        problem = setting_problem(name, value, version)
        if problem:
            abort(400, message=problem)

    shown, secrets = split_secrets("reconfigure", settings)

    def job(db: sqlite_utils.Database) -> None:
        command_id = commands.queue_command(db, cs_id, "reconfigure", shown, "provisioning", secrets)
        for name, value in shown.items():
            station_settings.record_setting(db, cs_id, name, value, "Pending", command_id)

    _write(cs_id, job)


def queue_trigger(cs_id: str, trigger: str) -> None:
    """Queue a trigger, unless the same one is still pending."""
    require_station(cs_id)
    params = {"trigger": trigger}

    def job(db: sqlite_utils.Database) -> None:
        if not commands.has_pending_command(db, cs_id, "trigger", params):
            commands.queue_command(db, cs_id, "trigger", params)

    _write(cs_id, job)


def queue_charging_profile(cs_id: str, profile: dict[str, Any]) -> None:
    """Queue a 2.0.1 charging profile (400 when the station's version cannot express it)."""
    store = storage.current()
    version = require_station(cs_id)["ocpp_version"]

    def find_active_evse(transaction_id: str) -> int | None:
        found = store.read(lambda db: transactions.find_active_transaction(db, cs_id, transaction_id))
        return None if found is None else int(found["evse_id"] or 0)

    try:
        request = build_request(profile, find_active_evse)
        if version == "1.6":
            check_expressible_in_16(request, find_active_evse)
    except ProfileError as error:
        abort(400, message=str(error))

    def job(db: sqlite_utils.Database) -> None:
        commands.queue_command(db, cs_id, "setChargingProfile", request)

    _write(cs_id, job)


@blp.route("/cs/<cs_id>/reconfigure")
class Reconfigure(MethodView):
    @blp.arguments(ChargeStationSettingsSchema)
    @blp.response(200)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="reconfigureChargeStation", summary="Reconfigure the charge station")
    def post(self, settings: dict[str, str], cs_id: str) -> Response:
        queue_reconfigure(cs_id, settings)
        return empty(200)


@blp.route("/cs/<cs_id>/certificates")
class InstallCertificates(MethodView):
    @blp.arguments(ChargeStationInstallCertificatesSchema)
    @blp.response(200)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="installChargeStationCertificates", summary="Install certificates on the charge station")
    def post(self, body: dict[str, Any], cs_id: str) -> Response:
        require_station(cs_id)
        records = [
            {"id": certificate_id(parse_certificate(item["certificate"])), "type": item["type"],
             "pem": item["certificate"], "status": item["status"]}
            for item in body["certificates"]
        ]  # fmt: skip

        def job(db: sqlite_utils.Database) -> None:
            for record in records:
                command_id = None
                if record["status"] == "Pending":  # Accepted: already on the station; Rejected: only recorded
                    params = {"type": record["type"], "certificate": record["pem"]}
                    command_id = commands.queue_command(db, cs_id, "installCertificate", params, "provisioning")
                record_station_certificate(db, cs_id, {**record, "command_id": command_id})

        _write(cs_id, job)
        return empty(200)


@blp.route("/cs/<cs_id>/trigger")
class Trigger(MethodView):
    @blp.arguments(ChargeStationTriggerSchema)
    @blp.response(200)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="triggerChargeStation", summary="Trigger a charge station action")
    def post(self, body: dict[str, str], cs_id: str) -> Response:
        queue_trigger(cs_id, body["trigger"])
        return empty(200)


@blp.route("/cs/<cs_id>/setchargingprofile")
class SetChargingProfile(MethodView):
    @blp.arguments(ChargingProfileSchema)
    @blp.response(200)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="setChargingProfile", summary="Send a charging profile to the charge station")
    def post(self, profile: dict[str, Any], cs_id: str) -> Response:
        queue_charging_profile(cs_id, profile)
        return empty(200)


@blp.route("/cs/<cs_id>/commands")
class Commands(MethodView):
    @blp.arguments(CommandListArgsSchema, location="query")
    @blp.response(200, CommandSchema(many=True))
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station")
    @blp.doc(operationId="listChargeStationCommands", summary="The station's outbox, newest first")
    def get(self, page: dict[str, int], cs_id: str) -> list[dict[str, Any]]:
        require_station(cs_id)
        return commands.list_commands(storage.current(), cs_id, page["offset"], page["limit"])


# SQLite integers are 64-bit: a larger id can name no command.
@blp.route("/cs/<cs_id>/commands/<int(max=9223372036854775807):command_id>")
class Command(MethodView):
    @blp.response(200, CommandSchema)
    @blp.alt_response(404, schema=StatusSchema, description="Unknown charge station or command")
    @blp.doc(operationId="getChargeStationCommand", summary="One command of the station's outbox")
    def get(self, cs_id: str, command_id: int) -> dict[str, Any]:
        return commands.get_command(storage.current(), cs_id, command_id) or abort(
            404, message=f"no command {command_id} for charge station {cs_id!r}"
        )
