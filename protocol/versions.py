"""OCPP versions and their WebSocket subprotocols, the actions a CSMS may send in each, and vendor ids we speak."""
from __future__ import annotations

VERSIONS = ("1.6", "2.0.1", "2.1")
SUBPROTOCOLS = {"ocpp1.6": "1.6", "ocpp2.0.1": "2.0.1", "ocpp2.1": "2.1"}
# Newest first: the gateway picks the newest version both sides speak.
PREFERENCE = ("ocpp2.1", "ocpp2.0.1", "ocpp1.6")

# OCA "ISO 15118 Plug & Charge with OCPP 1.6": 2.0.1 certificate messages carried in DataTransfer.
OCA_PNC_VENDOR = "org.openchargealliance.iso15118pnc"

CSMS_ACTIONS: dict[str, frozenset[str]] = {
    "1.6": frozenset(
        {
            "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
            "DataTransfer", "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion",
            "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList",
            "SetChargingProfile", "TriggerMessage", "UnlockConnector", "UpdateFirmware",
            # Security Whitepaper
            "CertificateSigned", "DeleteCertificate", "ExtendedTriggerMessage", "GetInstalledCertificateIds", "GetLog",
            "InstallCertificate", "SignedUpdateFirmware",
        }
    ),
    "2.0.1": frozenset(
        {
            "CancelReservation", "CertificateSigned", "ChangeAvailability", "ClearCache", "ClearChargingProfile",
            "ClearDisplayMessage", "ClearVariableMonitoring", "CostUpdated", "CustomerInformation", "DataTransfer",
            "DeleteCertificate", "GetBaseReport", "GetChargingProfiles", "GetCompositeSchedule", "GetDisplayMessages",
            "GetInstalledCertificateIds", "GetLocalListVersion", "GetLog", "GetMonitoringReport", "GetReport",
            "GetTransactionStatus", "GetVariables", "InstallCertificate", "PublishFirmware", "RequestStartTransaction",
            "RequestStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
            "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel", "SetNetworkProfile",
            "SetVariableMonitoring", "SetVariables", "TriggerMessage", "UnlockConnector", "UnpublishFirmware",
            "UpdateFirmware",
        }
    ),
}  # fmt: skip
# 2.1 keeps every 2.0.1 operation (its own additions are not sent by us yet).
CSMS_ACTIONS["2.1"] = CSMS_ACTIONS["2.0.1"]


def message_family(ocpp_version: str) -> str:
    """The version whose message shapes we build and read: 2.1 keeps 2.0.1's for every message we use."""
    return "1.6" if ocpp_version == "1.6" else "2.0.1"
