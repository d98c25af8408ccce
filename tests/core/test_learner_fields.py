"""The learner record's fields: each refusal names its field; PATCH changes only what it is
given; restricted status and notes reach only the learner's site staff (RULES.md C7)."""

from datetime import date
from pathlib import Path

import msgspec
import pytest

from core.auth.roles import Principal, Role
from core.learners import service
from tests.conftest import TEST_SITES

PARTNERS = """
[[partners]]
key = "france-travail"
name = "France Travail Paris 11"
kinds = ["referral", "funder"]

[[partners]]
key = "alpha-fle"
name = "Alpha FLE"
kinds = ["language"]
"""

LEARNER = {
    "site": "paris",
    "first_name": "Awa",
    "last_name": "Diallo",
    "gender": "female",
    "birth_date": "1998-04-02",
}

FULL = LEARNER | {
    "email": "Awa.Diallo@Example.org",
    "phone": "+33 6 12 34 56 78",
    "languages": ["wo", "fr", "wo"],
    "french_level": "A2",
    "french_level_method": "internal_test",
    "french_level_assessed_on": "2026-08-20",
    "qpv_resident": True,
    "qpv_checked_on": "2026-08-21",
    "qpv_map_version": "QPV-2024",
    "highest_qualification": "below_bac",
    "employment_status": "job_seeker",
    "refugee_status": "asylum_seeker",
    "referral_partner": "france-travail",
    "notes": "Préfère les séances du matin.",
}


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """The test sites, Paris with a referral partner and a language partner."""
    folder = tmp_path / "sites"
    folder.mkdir()
    for path in TEST_SITES.glob("*.toml"):
        text = path.read_text()
        if path.stem == "paris":
            text = text.replace("[[rooms]]", PARTNERS + "\n[[rooms]]")
        (folder / path.name).write_text(text)
    return folder


async def post(client, people, body, who="paris_manager"):
    return await client.post("/api/v1/learners", json=body, headers=people.auth(who))


async def test_a_full_record_is_stored_as_given(client, people):
    response = await post(client, people, FULL)
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["email"] == "awa.diallo@example.org"
    assert record["languages"] == ["wo", "fr"]
    assert record["under_26"] is False
    expected = {k: v for k, v in FULL.items() if k not in ("email", "languages")}
    assert {k: record[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "pas-une-adresse"}, "$.email"),
        ({"languages": ["fra"]}, "$.languages[0]"),
        ({"languages": ["fr"] * 21}, "$.languages"),
        ({"french_level_method": "guessed"}, "$.french_level_method"),
        ({"highest_qualification": "phd"}, "$.highest_qualification"),
        ({"employment_status": "retired"}, "$.employment_status"),
        ({"refugee_status": "citizen"}, "$.refugee_status"),
        ({"qpv_resident": "maybe"}, "$.qpv_resident"),
        ({"qpv_map_version": "carte 2024 !"}, "$.qpv_map_version"),
        ({"referral_partner": "France Travail"}, "$.referral_partner"),
        ({"notes": "x" * 10_001}, "$.notes"),
        ({"last_name": "   "}, "$.last_name"),
        ({"birth_date": "02/04/1998"}, "$.birth_date"),
        ({"confirm_new_person": "yes"}, "$.confirm_new_person"),
    ],
)
async def test_malformed_fields_are_400_with_their_path(client, people, change, field):
    response = await post(client, people, FULL | change)
    assert response.status_code == 400, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_unknown_fields_are_refused(client, people):
    response = await post(client, people, LEARNER | {"nationality": "SN"})
    assert response.status_code == 400
    assert "nationality" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "2026-09-02"}, "birth_date"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"phone": "+ (0) 12"}, "phone"),
        ({"languages": ["fr", "xx"]}, "languages"),
        ({"french_level": None}, "french_level_method"),
        ({"french_level": None, "french_level_method": None}, "french_level_assessed_on"),
        ({"french_level_assessed_on": "2026-09-02"}, "french_level_assessed_on"),
        ({"qpv_checked_on": None}, "qpv_checked_on"),
        ({"qpv_map_version": ""}, "qpv_map_version"),
        ({"qpv_checked_on": "2026-09-02"}, "qpv_checked_on"),
        ({"referral_partner": "mission-locale"}, "referral_partner"),
        ({"referral_partner": "alpha-fle"}, "referral_partner"),
    ],
)
async def test_broken_rules_are_422_naming_the_field(client, people, change, field):
    response = await post(client, people, FULL | change)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert (await client.get("/api/v1/learners", headers=people.auth("admin"))).json()["total"] == 0


async def test_a_referral_partner_must_be_one_of_the_learners_site(client, people):
    body = FULL | {"site": "bordeaux", "phone": "", "email": ""}
    response = await post(client, people, body, who="admin")
    assert response.status_code == 422
    assert "sites/bordeaux.toml" in response.json()["detail"]


async def test_an_unknown_qpv_status_needs_no_check_date(client, people):
    body = FULL | {"qpv_resident": None, "qpv_checked_on": None, "qpv_map_version": ""}
    assert (await post(client, people, body)).status_code == 201


@pytest.mark.parametrize(
    ("birth_date", "under_26"), [("2000-09-02", True), ("2000-09-01", False), ("2000-02-29", False)]
)
async def test_under_26_is_derived_from_the_birth_date(client, people, birth_date, under_26):
    response = await post(client, people, LEARNER | {"birth_date": birth_date})
    assert response.json()["under_26"] is under_26


async def test_patch_changes_only_the_given_fields(client, people):
    created = (await post(client, people, FULL)).json()
    url = f"/api/v1/learners/{created['id']}"
    headers = people.auth("paris_manager")
    response = await client.patch(
        url, json={"last_name": "Diallo-Sow", "birth_date": None}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == created | {
        "last_name": "Diallo-Sow",
        "birth_date": None,
        "under_26": None,
    }
    assert (await client.get(url, headers=headers)).json()["last_name"] == "Diallo-Sow"
    found = await client.get("/api/v1/learners", params={"name": "sow"}, headers=headers)
    assert [row["id"] for row in found.json()["items"]] == [created["id"]]


async def test_patch_refuses_unknown_fields_and_the_site(client, people):
    created = (await post(client, people, LEARNER)).json()
    for body in ({"site": "bordeaux"}, {"nationality": "SN"}):
        response = await client.patch(
            f"/api/v1/learners/{created['id']}", json=body, headers=people.auth("admin")
        )
        assert response.status_code == 400, body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"french_level": None}, "french_level_method"),
        ({"qpv_map_version": ""}, "qpv_map_version"),
        ({"email": "awa@"}, "$.email"),
        ({"languages": ["zz"]}, "languages"),
        ({"referral_partner": "alpha-fle"}, "referral_partner"),
    ],
)
async def test_patch_checks_the_record_it_would_leave(client, people, change, field):
    created = (await post(client, people, FULL)).json()
    response = await client.patch(
        f"/api/v1/learners/{created['id']}", json=change, headers=people.auth("paris_manager")
    )
    assert response.status_code in (400, 422)
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_restricted_status_and_notes_reach_only_the_sites_staff(client, people):
    created = (await post(client, people, FULL)).json()
    url = f"/api/v1/learners/{created['id']}"
    for who in ("paris_manager", "admin"):
        record = (await client.get(url, headers=people.auth(who))).json()
        assert (record["refugee_status"], record["notes"]) == (
            "asylum_seeker",
            FULL["notes"],
        )
    for who in ("bordeaux_manager", "paris_trainer", "central"):
        response = await client.get(url, headers=people.auth(who))
        assert response.status_code in (403, 404)
        assert "asylum" not in response.text
        assert "matin" not in response.text


async def test_lists_never_carry_restricted_status_or_notes(client, people):
    await post(client, people, FULL)
    for who in ("paris_manager", "admin"):
        response = await client.get("/api/v1/learners", headers=people.auth(who))
        [item] = response.json()["items"]
        assert "refugee_status" not in item
        assert "notes" not in item
        assert "asylum" not in response.text
        assert "matin" not in response.text


def test_a_reader_who_does_not_manage_the_site_gets_no_restricted_field():
    # No role reads a record it does not manage yet; trainers will (their cohorts' learners).
    row = {
        "id": 1,
        "site": "paris",
        "first_name": "Awa",
        "last_name": "Diallo",
        "gender": "female",
        "birth_date": date(1998, 4, 2),
        "email": "",
        "phone": "",
        "languages": "fr",
        "french_level": None,
        "french_level_method": None,
        "french_level_assessed_on": None,
        "qpv_resident": None,
        "qpv_checked_on": None,
        "qpv_map_version": "",
        "highest_qualification": "unknown",
        "employment_status": "unknown",
        "referral_partner": None,
        "refugee_status": "refugee",
        "notes": "confidential",
    }
    trainer = Principal(
        account_id=9,
        email="t@example.org",
        display_name="t",
        role=Role.TRAINER,
        cohorts=frozenset({1}),
    )
    manager = Principal(
        account_id=8,
        email="m@example.org",
        display_name="m",
        role=Role.SITE_MANAGER,
        sites=frozenset({"paris"}),
    )
    hidden = service.to_read(row, trainer, date(2026, 9, 1))
    shown = service.to_read(row, manager, date(2026, 9, 1))
    assert (shown.refugee_status, shown.notes) == ("refugee", "confidential")
    assert "refugee_status" not in msgspec.to_builtins(hidden)
    assert "notes" not in msgspec.to_builtins(hidden)


async def test_other_services_read_facts_and_contact_without_restricted_fields(client, people):
    created = (await post(client, people, FULL)).json()
    snapshot = await service.learner_snapshot(created["id"])
    assert snapshot is not None
    assert (snapshot.site, snapshot.french_level, snapshot.birth_date) == (
        "paris",
        "A2",
        date(1998, 4, 2),
    )
    contact = await service.learner_contact(created["id"])
    assert contact is not None
    assert (contact.first_name, contact.email) == ("Awa", "awa.diallo@example.org")
    for view in (snapshot, contact):
        assert not {"refugee_status", "notes"} & set(msgspec.to_builtins(view))
    assert await service.learner_snapshot(999_999) is None
    assert await service.learner_contact(999_999) is None
