"""A simulated OCPP 1.6 charge point's answers: configuration keys it keeps, remote transactions, triggers."""
from __future__ import annotations

import json

from sim.model import ACCEPTED, OCA_PNC, Model, Outcome, Reply, StationState, answers

SETTINGS = {
    "HeartbeatInterval": "300",
    "MeterValueSampleInterval": "60",
    "ClockAlignedDataInterval": "0",
    "ConnectionTimeOut": "60",
    "AuthorizeRemoteTxRequests": "false",
    "LocalAuthorizeOffline": "true",
    "LocalAuthListEnabled": "true",
    "MeterValuesSampledData": "Energy.Active.Import.Register,Power.Active.Import",
    "StopTransactionOnEVSideDisconnect": "true",
    "WebSocketPingInterval": "0",
    "SecurityProfile": "0",
    "AuthorizationKey": "",
    "NumberOfConnectors": "1",
    "LocalAuthListMaxLength": "100",
    "SupportedFeatureProfiles": "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger",
}
READONLY = frozenset({"NumberOfConnectors", "LocalAuthListMaxLength", "SupportedFeatureProfiles"})
TRIGGERS = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues")


def new_state() -> StationState:
    return StationState(dict(SETTINGS), READONLY, write_only=frozenset({"AuthorizationKey"}))


class Model16(Model):
    @answers("ChangeConfiguration")
    def change_configuration(self, payload: dict) -> Reply:
        key, value = payload["key"], payload["value"]
        if key not in self.state.settings:
            return {"status": "NotSupported"}
        if key in self.state.readonly:
            return {"status": "Rejected"}
        self.state.settings[key] = value
        if key == "AuthorizationKey":
            self.station.change_password(value)
        return ACCEPTED

    @answers("GetConfiguration")
    def get_configuration(self, payload: dict) -> Reply:
        readable = [key for key in self.state.settings if key not in self.state.write_only]
        asked = payload.get("key") or readable
        known = [
            {"key": key, "readonly": key in self.state.readonly, "value": self.state.settings[key]}
            for key in asked if key in readable
        ]
        unknown = [key for key in asked if key not in readable]
        return {"configurationKey": known, **({"unknownKey": unknown} if unknown else {})}

    @answers("RemoteStartTransaction")
    def remote_start_transaction(self, payload: dict) -> Outcome:
        return self.remote_start(payload.get("connectorId", 1), payload["idTag"])

    @answers("RemoteStopTransaction")
    def remote_stop_transaction(self, payload: dict) -> Outcome:
        return self.remote_stop(str(payload["transactionId"]))

    @answers("ChangeAvailability")
    def change_availability_16(self, payload: dict) -> Outcome:
        return self.change_availability(payload["connectorId"], payload["type"] == "Operative")

    @answers("TriggerMessage")
    def trigger_message(self, payload: dict) -> Outcome:
        message = payload["requestedMessage"]
        if message not in TRIGGERS:
            return {"status": "NotImplemented"}, None
        return ACCEPTED, self.station.trigger(message, payload.get("connectorId"))

    @answers("ExtendedTriggerMessage")
    def extended_trigger_message(self, payload: dict) -> Outcome:
        message = payload["requestedMessage"]
        if message == "SignChargePointCertificate":
            return ACCEPTED, self.station.trigger("SignCertificate", None)
        if message not in TRIGGERS:
            return {"status": "NotImplemented"}, None
        return ACCEPTED, self.station.trigger(message, payload.get("connectorId"))

    @answers("ReserveNow")
    def reserve_now(self, payload: dict) -> Reply:
        return self.reserve(payload["reservationId"], payload["connectorId"])

    @answers("GetLocalListVersion")
    def get_local_list_version(self, payload: dict) -> Reply:
        return {"listVersion": self.state.local_list_version}

    @answers("DataTransfer")
    def data_transfer(self, payload: dict) -> Reply:
        if payload["vendorId"] == OCA_PNC and payload.get("messageId") == "CertificateSigned":
            self.station.certificate_signed(json.loads(payload.get("data") or "{}").get("certificateChain", ""))
            return {"status": "Accepted", "data": json.dumps({"status": "Accepted"})}
        return {"status": "UnknownVendorId"}

    @answers("GetDiagnostics")
    def get_diagnostics(self, payload: dict) -> Reply:
        return {}  # no file to upload

    @answers("UpdateFirmware")
    def update_firmware(self, payload: dict) -> Reply:
        return {}

    @answers("SignedUpdateFirmware")
    def signed_update_firmware(self, payload: dict) -> Reply:
        return {"status": "Rejected"}
