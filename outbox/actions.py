"""The CSMS-initiated OCPP actions of each version: what `POST /cs/{csId}/call` may send."""
from __future__ import annotations

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
