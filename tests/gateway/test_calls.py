"""CSMS-initiated calls through Connection.call, answered by a real `ocpp` station client."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from tests.conftest import station_client
from tests.gateway.conftest import add_station, start_server

SCRIPT = Path(__file__).with_name("calling_server.py")


class Station16(ChargePoint16):
    @on("GetConfiguration")
    def get_configuration(self, **kwargs):
        return result16.GetConfiguration(configuration_key=[{"key": "HeartbeatInterval", "readonly": False, "value": "300"}])

    @on("ClearCache")
    def clear_cache(self, **kwargs):
        return result16.ClearCache(status="Rejected")

    @on("Reset")
    async def reset(self, **kwargs):
        await asyncio.sleep(3)  # past the 2 s timeout; nothing newer goes out, so the late answer counts
        return result16.Reset(status="Accepted")


class Station201(ChargePoint201):
    @on("GetVariables")
    def get_variables(self, **kwargs):
        return result201.GetVariables(get_variable_result=[{
            "attribute_status": "Accepted", "attribute_value": "300",
            "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"},
        }])

    @on("ClearCache")
    def clear_cache(self, **kwargs):
        return result201.ClearCache(status="Accepted")

    @on("Reset")
    async def reset(self, **kwargs):
        await asyncio.sleep(3)
        return result201.Reset(status="Accepted")


@pytest.fixture(scope="module")
def calling_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("calls"), script=SCRIPT)
    yield server
    server.stop()


@pytest.mark.parametrize("subprotocol", ["ocpp1.6", "ocpp2.0.1"])
def test_our_calls_are_matched_with_the_stations_answers(calling_server, cs_id, subprotocol):
    add_station(calling_server, cs_id)
    station_class = Station16 if subprotocol == "ocpp1.6" else Station201

    async def run_station() -> None:
        async with station_client(calling_server.ws_url, cs_id, subprotocol, charge_point_class=station_class) as station:
            if subprotocol == "ocpp1.6":
                boot = call16.BootNotification(charge_point_model="M1", charge_point_vendor="ACME")
            else:
                boot = call201.BootNotification(charging_station={"model": "M1", "vendor_name": "ACME"}, reason="PowerUp")
            await station.call(boot)
            await asyncio.sleep(6)

    asyncio.run(run_station())
    log = calling_server.log()
    results = [json.loads(line.split(" ", 1)[1]) for line in log.splitlines() if line.startswith("OUTCOME ")]
    late = [json.loads(line.split(" ", 1)[1]) for line in log.splitlines() if line.startswith("LATE ")]
    first, clear, unlock, reset = results[-4:]
    if subprotocol == "ocpp1.6":
        assert first["payload"]["configurationKey"][0]["value"] == "300"
        assert clear["payload"] == {"status": "Rejected"}
    else:
        assert first["payload"]["getVariableResult"][0]["attributeValue"] == "300"
        assert clear["payload"] == {"status": "Accepted"}
    assert first["schema_error"] is None and not first["timed_out"]
    assert (unlock["error_code"], unlock["payload"]) == ("NotImplemented", None)  # the station's CALLERROR
    assert reset["timed_out"] and reset["payload"] is None
    assert any(entry["message_id"] == reset["message_id"] and entry["payload"] == {"status": "Accepted"} for entry in late)
    assert "REFUSED PropertyConstraintViolationError" in log  # our own bad payload never leaves
