"""A simulated OCPP 2.0.1 (and 2.1) charging station's answers: the device model it keeps, remote transactions,
triggers and reports."""
from __future__ import annotations

from typing import Any

from sim.model import ACCEPTED, Model, Outcome, Reply, StationState, answers

SETTINGS = {
    "OCPPCommCtrlr/HeartbeatInterval": "300",
    "OCPPCommCtrlr/NetworkProfileConnectionAttempts": "3",
    "OCPPCommCtrlr/OfflineThreshold": "60",
    "SampledDataCtrlr/TxUpdatedInterval": "60",
    "SampledDataCtrlr/TxUpdatedMeasurands": "Energy.Active.Import.Register,Power.Active.Import",
    "AlignedDataCtrlr/Interval": "0",
    "AuthCtrlr/AuthorizeRemoteStart": "false",
    "AuthCtrlr/LocalPreAuthorize": "false",
    "LocalAuthListCtrlr/Enabled": "true",
    "TxCtrlr/EVConnectionTimeOut": "60",
    "TxCtrlr/StopTxOnEVSideDisconnect": "true",
    "SecurityCtrlr/BasicAuthPassword": "",
    "SecurityCtrlr/SecurityProfile": "1",
    "SecurityCtrlr/OrganizationName": "CSMS sim",
    "DeviceDataCtrlr/ItemsPerMessage": "50",
    "ChargingStation/Model": "Sim-2.0.1",
}
READONLY = frozenset({"SecurityCtrlr/SecurityProfile", "DeviceDataCtrlr/ItemsPerMessage", "ChargingStation/Model"})
TRIGGERS = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues", "TransactionEvent")


def new_state() -> StationState:
    return StationState(dict(SETTINGS), READONLY, write_only=frozenset({"SecurityCtrlr/BasicAuthPassword"}))


def _name(item: dict[str, Any]) -> tuple[str, str]:
    """(key in the settings, the component's name)."""
    component = item["component"]["name"]
    return f"{component}/{item['variable']['name']}", component


class Model201(Model):
    @answers("SetVariables")
    def set_variables(self, payload: dict) -> Reply:
        return {"setVariableResult": [self._set(item) for item in payload["setVariableData"]]}

    def _set(self, item: dict[str, Any]) -> dict[str, Any]:
        key, component = _name(item)
        status = self._status(key, component)
        if status == "Accepted" and key in self.state.readonly:
            status = "Rejected"
        if status == "Accepted":
            self.state.settings[key] = item["attributeValue"]
            if key == "SecurityCtrlr/BasicAuthPassword":
                self.station.change_password(item["attributeValue"])
        return {"attributeStatus": status, "component": item["component"], "variable": item["variable"],
                "attributeType": item.get("attributeType", "Actual")}

    @answers("GetVariables")
    def get_variables(self, payload: dict) -> Reply:
        return {"getVariableResult": [self._get(item) for item in payload["getVariableData"]]}

    def _get(self, item: dict[str, Any]) -> dict[str, Any]:
        key, component = _name(item)
        status = self._status(key, component)
        if status == "Accepted" and key in self.state.write_only:
            status = "Rejected"
        result = {"attributeStatus": status, "component": item["component"], "variable": item["variable"],
                  "attributeType": item.get("attributeType", "Actual")}
        return result | ({"attributeValue": self.state.settings[key]} if status == "Accepted" else {})

    def _status(self, key: str, component: str) -> str:
        if key in self.state.settings:
            return "Accepted"
        known = any(name.startswith(f"{component}/") for name in self.state.settings)
        return "UnknownVariable" if known else "UnknownComponent"

    @answers("GetBaseReport")
    def get_base_report(self, payload: dict) -> Outcome:
        return ACCEPTED, self.station.send_report(payload["requestId"])

    @answers("GetReport")
    def get_report(self, payload: dict) -> Outcome:
        return ACCEPTED, self.station.send_report(payload["requestId"])

    @answers("RequestStartTransaction")
    def request_start_transaction(self, payload: dict) -> Outcome:
        id_token = payload["idToken"]["idToken"]
        return self.remote_start(payload.get("evseId", 1), id_token, payload["remoteStartId"])

    @answers("RequestStopTransaction")
    def request_stop_transaction(self, payload: dict) -> Outcome:
        return self.remote_stop(payload["transactionId"])

    @answers("ChangeAvailability")
    def change_availability_201(self, payload: dict) -> Outcome:
        evse = payload.get("evse", {}).get("id")
        return self.change_availability(evse, payload["operationalStatus"] == "Operative")

    @answers("TriggerMessage")
    def trigger_message(self, payload: dict) -> Outcome:
        message = payload["requestedMessage"]
        evse = payload.get("evse", {}).get("id")
        if message == "SignChargingStationCertificate":
            return ACCEPTED, self.station.trigger("SignCertificate", None)
        if message not in TRIGGERS:
            return {"status": "NotImplemented"}, None
        return ACCEPTED, self.station.trigger(message, evse)

    @answers("ReserveNow")
    def reserve_now(self, payload: dict) -> Reply:
        return self.reserve(payload["id"], payload.get("evseId", 0))

    @answers("GetLocalListVersion")
    def get_local_list_version(self, payload: dict) -> Reply:
        return {"versionNumber": self.state.local_list_version}

    @answers("GetTransactionStatus")
    def get_transaction_status(self, payload: dict) -> Reply:
        wanted = payload.get("transactionId")
        ongoing = self.state.transaction_by_id(wanted) is not None if wanted else bool(self.state.transactions)
        return {"messagesInQueue": False, **({"ongoingIndicator": ongoing} if wanted else {})}

    @answers("GetChargingProfiles")
    def get_charging_profiles(self, payload: dict) -> Reply:
        return {"status": "NoProfiles"}

    @answers("DataTransfer")
    def data_transfer(self, payload: dict) -> Reply:
        return {"status": "UnknownVendorId"}

    @answers("SetNetworkProfile")
    def set_network_profile(self, payload: dict) -> Reply:
        return ACCEPTED

    @answers("CostUpdated")
    def cost_updated(self, payload: dict) -> Reply:
        return {}

    @answers("UpdateFirmware")
    def update_firmware(self, payload: dict) -> Reply:
        return {"status": "Rejected"}

    @answers("CustomerInformation")
    def customer_information(self, payload: dict) -> Reply:
        return {"status": "Rejected"}

    @answers("GetDisplayMessages")
    def get_display_messages(self, payload: dict) -> Reply:
        return {"status": "Unknown"}
