"""Operations that queue commands: reconfigure, certificates, trigger, setchargingprofile; and the outbox view."""
from __future__ import annotations

import copy
import hashlib
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.api.conftest import commands_of, make_pem
from storage import Store

PROFILE = {
    "id": 7,
    "stackLevel": 0,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Absolute",
    "chargingSchedule": {
        "id": 1,
        "chargingRateUnit": "W",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}],
    },
}


def profile(**changes) -> dict:
    body = copy.deepcopy(PROFILE)
    body.update(changes)
    return body


def settings_of(store: Store, cs_id: str) -> dict[str, tuple[str, str, int]]:
    rows = store.read(lambda db: list(db["station_settings"].rows_where("cs_id = ?", [cs_id])))
    return {row["name"]: (row["value"], row["status"], row["command_id"]) for row in rows}


# -- every station operation: 404 for an unknown station --------------------------------------
@pytest.mark.parametrize(
    "path, body",
    [
        ("reconfigure", {"HeartbeatInterval": "60"}),
        ("trigger", {"trigger": "BootNotification"}),
        ("setchargingprofile", PROFILE),
        ("commands", None),
    ],
)
def test_unknown_station_is_404(api, path, body) -> None:
    response = api("post" if body else "get", f"/cs/nope/{path}", json=body)
    assert response.status_code == 404
    assert response.get_json() == {"status": "Not Found", "error": "unknown charge station 'nope'"}


def test_certificates_for_unknown_station_is_404(api, pem) -> None:
    assert api("post", "/cs/nope/certificates", json={"certificates": [{"type": "V2G", "certificate": pem}]}).status_code == 404


# -- reconfigure -----------------------------------------------------------------------------
def test_reconfigure_queues_one_command_and_a_pending_setting_per_name(api, station, store: Store) -> None:
    body = {"HeartbeatInterval": "60", "OCPPCommCtrlr/HeartbeatInterval": "60"}
    response = api("post", f"/cs/{station}/reconfigure", json=body)
    assert (response.status_code, response.get_data()) == (200, b"")
    [command] = commands_of(store, station)
    assert (command["operation"], json.loads(command["params"]), command["status"], command["origin"]) == (
        "reconfigure", body, "pending", "provisioning",
    )  # fmt: skip
    assert settings_of(store, station) == {name: (value, "Pending", command["id"]) for name, value in body.items()}


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({}, "at least one setting"),
        ({"HeartbeatInterval": 60}, "body.HeartbeatInterval: value must be a string"),
        ({"HeartbeatInterval": None}, "body.HeartbeatInterval: value must be a string"),
        ({"HeartbeatInterval": "x" * 1001}, "longer than 1000"),
        ({"k" * 51: "1"}, "fits neither"),
        ({"Comp;inst;notanumber/" + "V" * 50: "1"}, "fits neither"),
    ],
)
def test_reconfigure_refuses_bad_settings(api, station, body, fragment, store: Store) -> None:
    response = api("post", f"/cs/{station}/reconfigure", json=body)
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]
    assert commands_of(store, station) == []


def test_reconfigure_body_must_be_an_object(api, station) -> None:
    assert api("post", f"/cs/{station}/reconfigure", json=["a"]).status_code == 400


@pytest.mark.parametrize(
    "version, name, value, ok",
    [
        ("1.6", "HeartbeatInterval", "60", True),
        ("1.6", "K" * 50, "1", True),
        ("1.6", "K" * 51, "1", False),
        ("1.6", "HeartbeatInterval", "v" * 501, False),
        ("2.0.1", "HeartbeatInterval", "60", False),
        ("2.0.1", "OCPPCommCtrlr/HeartbeatInterval", "60", True),
        ("2.0.1", "EVSE;main;1/Power;inst;MaxSet", "22000", True),
        ("2.0.1", "EVSE;main;x/Power", "1", False),
        ("2.0.1", "Comp/Var;inst;Bogus", "1", False),
        ("2.0.1", "Comp/Var;inst", "1", True),
        ("2.0.1", "Comp#/Var", "1", False),
        ("2.0.1", "Comp/Var", "v" * 501, True),
        ("1.6", "AuthorizationKey", "k" * 16, True),
        ("1.6", "AuthorizationKey", "k" * 20, True),
        ("1.6", "AuthorizationKey", "k" * 15, False),
        ("1.6", "AuthorizationKey", "é" * 11, False),
        ("2.0.1", "SecurityCtrlr/BasicAuthPassword", "p" * 16, True),
        ("2.0.1", "SecurityCtrlr/BasicAuthPassword", "p" * 41, False),
        ("2.0.1", "SecurityCtrlr/BasicAuthPassword;Actual", "short", False),
        (None, "AuthorizationKey", "short", False),
        (None, "HeartbeatInterval", "60", True),
        (None, "Comp/Var", "60", True),
    ],
)
def test_reconfigure_checks_names_for_the_known_version(api, station_of, version, name, value, ok) -> None:
    cs_id = station_of("cs-v", version)
    response = api("post", f"/cs/{cs_id}/reconfigure", json={name: value})
    assert response.status_code == (200 if ok else 400), response.get_json()
    if not ok:
        assert name[:20] in response.get_json()["error"]


def test_reconfigure_masks_passwords_in_the_command_view(api, station) -> None:
    body = {"AuthorizationKey": "0123456789abcdef01", "SecurityCtrlr/BasicAuthPassword": "p" * 20, "HeartbeatInterval": "5"}
    assert api("post", f"/cs/{station}/reconfigure", json=body).status_code == 200
    [command] = api("get", f"/cs/{station}/commands").get_json()
    assert command["params"] == {
        "AuthorizationKey": "********", "SecurityCtrlr/BasicAuthPassword": "********", "HeartbeatInterval": "5",
    }  # fmt: skip


# -- certificates ----------------------------------------------------------------------------
def test_pending_certificates_each_queue_an_install(api, station, store: Store) -> None:
    pems = [make_pem("a"), make_pem("b")]
    body = {"certificates": [{"type": "V2G", "certificate": pems[0]}, {"type": "CSMS", "certificate": pems[1], "status": "Pending"}]}
    assert api("post", f"/cs/{station}/certificates", json=body).status_code == 200
    commands = commands_of(store, station)
    assert [(c["operation"], json.loads(c["params"])) for c in commands] == [
        ("installCertificate", {"type": "V2G", "certificate": pems[0]}),
        ("installCertificate", {"type": "CSMS", "certificate": pems[1]}),
    ]
    rows = store.read(lambda db: list(db["station_certificates"].rows_where("cs_id = ?", [station], order_by="type")))
    der = x509.load_pem_x509_certificate(pems[1].encode()).public_bytes(Encoding.DER)
    assert [(r["type"], r["status"], r["command_id"]) for r in rows] == [
        ("CSMS", "Pending", commands[1]["id"]),
        ("V2G", "Pending", commands[0]["id"]),
    ]
    assert rows[0]["id"] == hashlib.sha256(der).hexdigest()


@pytest.mark.parametrize("status", ["Accepted", "Rejected"])
def test_accepted_and_rejected_certificates_are_only_recorded(api, station, store: Store, pem, status) -> None:
    body = {"certificates": [{"type": "MO", "certificate": pem, "status": status}]}
    assert api("post", f"/cs/{station}/certificates", json=body).status_code == 200
    assert commands_of(store, station) == []
    rows = store.read(lambda db: list(db["station_certificates"].rows_where("cs_id = ?", [station])))
    assert [(r["type"], r["status"], r["command_id"]) for r in rows] == [("MO", status, None)]


def test_certificate_records_merge_by_id(api, station, store: Store, pem) -> None:
    api("post", f"/cs/{station}/certificates", json={"certificates": [{"type": "MO", "certificate": pem}]})
    api("post", f"/cs/{station}/certificates", json={"certificates": [{"type": "MO", "certificate": pem, "status": "Accepted"}]})
    rows = store.read(lambda db: list(db["station_certificates"].rows_where("cs_id = ?", [station])))
    assert [r["status"] for r in rows] == ["Accepted"]


@pytest.mark.parametrize(
    "item, fragment",
    [
        ({"type": "V2G", "certificate": "not a pem"}, "body.certificates.0.certificate: invalid certificate"),
        ({"type": "XXX", "certificate": "PEM"}, "body.certificates.0.type"),
        ({"certificate": "PEM"}, "body.certificates.0.type"),
        ({"type": "V2G"}, "body.certificates.0.certificate"),
        ({"type": "V2G", "certificate": "PEM", "status": "Installed"}, "body.certificates.0.status"),
    ],
)
def test_certificates_refuses_bad_items(api, station, pem, item, fragment) -> None:
    item = {key: pem if value == "PEM" else value for key, value in item.items()}
    response = api("post", f"/cs/{station}/certificates", json={"certificates": [item]})
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]


@pytest.mark.parametrize("body", [{}, {"certificates": []}, {"certificates": "x"}])
def test_certificates_needs_at_least_one(api, station, body) -> None:
    assert api("post", f"/cs/{station}/certificates", json=body).status_code == 400


def test_second_item_names_its_index(api, station, pem) -> None:
    body = {"certificates": [{"type": "V2G", "certificate": pem}, {"type": "V2G", "certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}]}
    response = api("post", f"/cs/{station}/certificates", json=body)
    assert response.status_code == 400
    assert "body.certificates.1.certificate: invalid certificate" in response.get_json()["error"]


# -- trigger ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "trigger",
    ["BootNotification", "StatusNotification", "SignV2GCertificate", "SignChargingStationCertificate", "SignCombinedCertificate"],
)
def test_trigger_answers_200_and_queues(api, station, store: Store, trigger) -> None:
    response = api("post", f"/cs/{station}/trigger", json={"trigger": trigger})
    assert (response.status_code, response.get_data()) == (200, b"")
    assert [(c["operation"], json.loads(c["params"])) for c in commands_of(store, station)] == [
        ("trigger", {"trigger": trigger})
    ]


def test_identical_pending_trigger_is_not_queued_twice(api, station, store: Store) -> None:
    for trigger in ("BootNotification", "BootNotification", "StatusNotification"):
        assert api("post", f"/cs/{station}/trigger", json={"trigger": trigger}).status_code == 200
    assert [json.loads(c["params"])["trigger"] for c in commands_of(store, station)] == [
        "BootNotification",
        "StatusNotification",
    ]


def test_trigger_is_queued_again_once_the_first_is_done(api, station, store: Store) -> None:
    api("post", f"/cs/{station}/trigger", json={"trigger": "BootNotification"})
    store.write(lambda db: db.execute("UPDATE commands SET status = 'completed'"))
    api("post", f"/cs/{station}/trigger", json={"trigger": "BootNotification"})
    assert len(commands_of(store, station)) == 2


@pytest.mark.parametrize("body", [{}, {"trigger": "Heartbeat"}, {"trigger": 1}, {"trigger": None}])
def test_trigger_refuses_bad_bodies(api, station, body) -> None:
    response = api("post", f"/cs/{station}/trigger", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("body.trigger")


# -- setchargingprofile ----------------------------------------------------------------------
@pytest.mark.parametrize("purpose", ["ChargingStationMaxProfile", "TxDefaultProfile"])
def test_station_wide_profiles_go_to_evse_0_with_a_schedule_list(api, station, store: Store, purpose) -> None:
    response = api("post", f"/cs/{station}/setchargingprofile", json=profile(chargingProfilePurpose=purpose))
    assert (response.status_code, response.get_data()) == (200, b"")
    [command] = commands_of(store, station)
    params = json.loads(command["params"])
    assert command["operation"] == "setChargingProfile"
    assert params["evseId"] == 0
    assert params["chargingProfile"]["chargingSchedule"] == [PROFILE["chargingSchedule"]]
    assert params["chargingProfile"]["chargingProfilePurpose"] == purpose


def test_a_schedule_list_is_accepted_as_is(api, station, store: Store) -> None:
    schedules = [PROFILE["chargingSchedule"], {**PROFILE["chargingSchedule"], "id": 2}]
    assert api("post", f"/cs/{station}/setchargingprofile", json=profile(chargingSchedule=schedules)).status_code == 200
    assert json.loads(commands_of(store, station)[0]["params"])["chargingProfile"]["chargingSchedule"] == schedules


def test_tx_profile_goes_to_the_evse_of_the_active_transaction(api, station, store: Store, add_transaction) -> None:
    add_transaction(station, "tx-1", evse_id=2)
    body = profile(chargingProfilePurpose="TxProfile", transactionId="tx-1")
    assert api("post", f"/cs/{station}/setchargingprofile", json=body).status_code == 200
    assert json.loads(commands_of(store, station)[0]["params"])["evseId"] == 2


@pytest.mark.parametrize(
    "transaction", [None, ("cs001", "tx-1", "ended"), ("other", "tx-1", "active"), ("cs001", "tx-2", "active")]
)
def test_tx_profile_needs_an_active_transaction_of_this_station(api, station, add_transaction, transaction) -> None:
    if transaction:
        if transaction[0] != station:
            api("post", f"/cs/{transaction[0]}", json={"securityProfile": 0})
        add_transaction(*transaction)
    response = api("post", f"/cs/{station}/setchargingprofile", json=profile(chargingProfilePurpose="TxProfile", transactionId="tx-1"))
    assert response.status_code == 400
    assert "active transaction" in response.get_json()["error"]


def test_external_constraints_profiles_are_refused(api, station) -> None:
    body = profile(chargingProfilePurpose="ChargingStationExternalConstraints")
    response = api("post", f"/cs/{station}/setchargingprofile", json=body)
    assert response.status_code == 400
    assert "ChargingStationExternalConstraints" in response.get_json()["error"]


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"id": "7"}, "body.id"),
        ({"stackLevel": None}, "body.stackLevel"),
        ({"chargingProfilePurpose": "Other"}, "body.chargingProfilePurpose"),
        ({"chargingProfileKind": "Sometimes"}, "body.chargingProfileKind"),
        ({"recurrencyKind": "Monthly"}, "body.recurrencyKind"),
        ({"chargingSchedule": None}, "body.chargingSchedule"),
        ({"chargingSchedule": "x"}, "body.chargingSchedule"),
        ({"chargingSchedule": {"id": 1, "chargingRateUnit": "kW", "chargingSchedulePeriod": []}}, "chargingRateUnit"),
        ({"chargingSchedule": {"id": 1, "chargingRateUnit": "W", "chargingSchedulePeriod": []}}, "invalid charging profile"),
        ({"chargingSchedule": [PROFILE["chargingSchedule"]] * 4}, "invalid charging profile"),
        ({"chargingSchedule": []}, "invalid charging profile"),
        ({"validFrom": "yesterday"}, "body.validFrom"),
        ({"unexpected": 1}, "invalid charging profile"),
        ({"transactionId": "t" * 37}, "body.transactionId"),
    ],
)
def test_setchargingprofile_refuses_invalid_profiles(api, station, changes, fragment, store: Store) -> None:
    response = api("post", f"/cs/{station}/setchargingprofile", json=profile(**changes))
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]
    assert commands_of(store, station) == []


def test_missing_required_profile_fields_are_named(api, station) -> None:
    response = api("post", f"/cs/{station}/setchargingprofile", json={"id": 1})
    error = response.get_json()["error"]
    assert response.status_code == 400
    for name in ("stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule"):
        assert f"body.{name}" in error


@pytest.mark.parametrize(
    "schedule_changes, period_changes",
    [({}, {"phaseToUse": 1, "numberPhases": 1}), ({"salesTariff": {"id": 1, "salesTariffEntry": [{"relativeTimeInterval": {"start": 0}}]}}, {})],
)
def test_profiles_16_cannot_express_are_refused_for_a_16_station(api, station_of, schedule_changes, period_changes) -> None:
    schedule = {**PROFILE["chargingSchedule"], **schedule_changes}
    schedule["chargingSchedulePeriod"] = [{**schedule["chargingSchedulePeriod"][0], **period_changes}]
    for version, code in (("1.6", 400), ("2.0.1", 200), (None, 200)):
        cs_id = station_of(f"cs-{version}", version)
        response = api("post", f"/cs/{cs_id}/setchargingprofile", json=profile(chargingSchedule=schedule))
        assert response.status_code == code, (version, response.get_json())


def test_two_schedules_are_refused_for_a_16_station(api, station_of) -> None:
    cs_id = station_of("cs16", "1.6")
    schedules = [PROFILE["chargingSchedule"], {**PROFILE["chargingSchedule"], "id": 2}]
    response = api("post", f"/cs/{cs_id}/setchargingprofile", json=profile(chargingSchedule=schedules))
    assert response.status_code == 400
    assert "exactly one charging schedule" in response.get_json()["error"]


# -- the outbox view -------------------------------------------------------------------------
def test_commands_are_listed_newest_first_and_paged(api, station) -> None:
    for trigger in ("BootNotification", "StatusNotification", "SignV2GCertificate"):
        api("post", f"/cs/{station}/trigger", json={"trigger": trigger})
    listed = api("get", f"/cs/{station}/commands").get_json()
    assert [c["params"]["trigger"] for c in listed] == ["SignV2GCertificate", "StatusNotification", "BootNotification"]
    assert all(c["status"] == "pending" and c["createdAt"] and c["action"] is None for c in listed)
    assert [c["params"]["trigger"] for c in api("get", f"/cs/{station}/commands?offset=1&limit=1").get_json()] == [
        "StatusNotification"
    ]


def test_one_command_by_id(api, station) -> None:
    api("post", f"/cs/{station}/trigger", json={"trigger": "BootNotification"})
    [listed] = api("get", f"/cs/{station}/commands").get_json()
    response = api("get", f"/cs/{station}/commands/{listed['id']}")
    assert response.status_code == 200
    assert response.get_json() == listed
    assert api("get", f"/cs/{station}/commands/{listed['id'] + 1}").status_code == 404
    assert api("get", f"/cs/other/commands/{listed['id']}").status_code == 404


def test_command_view_shows_what_the_outbox_recorded(api, station, store: Store) -> None:
    api("post", f"/cs/{station}/reconfigure", json={"AuthorizationKey": "0123456789abcdef01"})
    request = {"key": "AuthorizationKey", "value": "30313233343536373839616263646566"}
    store.write(
        lambda db: db.execute(
            "UPDATE commands SET status='completed', action='ChangeConfiguration', request=?, response=?, sent_at='t1', completed_at='t2'",
            [json.dumps(request), json.dumps({"status": "Accepted"})],
        )
    )
    [command] = api("get", f"/cs/{station}/commands").get_json()
    assert command["action"] == "ChangeConfiguration"
    assert command["request"] == {"key": "AuthorizationKey", "value": "********"}
    assert command["response"] == {"status": "Accepted"}
    assert (command["status"], command["sentAt"], command["completedAt"]) == ("completed", "t1", "t2")


@pytest.mark.parametrize("query", ["limit=0", "offset=-3", "limit=x"])
def test_command_list_refuses_bad_paging(api, station, query) -> None:
    assert api("get", f"/cs/{station}/commands?{query}").status_code == 400
