"""Volunteers over the API: recorded by their site's managers, lent by a partner company or
not, a former learner as one person record, and their availability and the trainers'."""

from __future__ import annotations

import pytest

from core.volunteering.tables import Volunteer

EMPLOYEE = {
    "site": "paris",
    "first_name": "Claire",
    "last_name": "Fontaine",
    "email": "Claire.Fontaine@Acme.example",
    "phone": "06 12 34 56 78",
    "skills": ["excel", "accompagnement-emploi"],
    "partner": "acme",
}
PERSONAL = ("first_name", "last_name", "email", "phone")
LEARNER = {"site": "paris", "first_name": "Awa", "last_name": "Diallo", "gender": "female"}


async def create(client, people, body, who="paris_manager"):
    return await client.post("/api/v1/volunteers", json=body, headers=people.auth(who))


async def created(client, people, body=EMPLOYEE, who="paris_manager") -> dict:
    response = await create(client, people, body, who)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_site_manager_records_lists_and_changes_a_volunteer_lent_by_a_company(
    client, people
):
    volunteer = await created(client, people)
    assert volunteer | {"id": 0, "created_at": ""} == {
        "id": 0,
        "site": "paris",
        "learner": None,
        "first_name": "Claire",
        "last_name": "Fontaine",
        "email": "claire.fontaine@acme.example",
        "phone": "06 12 34 56 78",
        "skills": ["excel", "accompagnement-emploi"],
        "partner": "acme",
        "active": True,
        "pending": False,
        "created_at": "",
    }
    headers = people.auth("paris_manager")
    listed = await client.get("/api/v1/volunteers", params={"partner": "acme"}, headers=headers)
    assert listed.json()["total"] == 1
    assert listed.json()["items"] == [volunteer]
    changed = await client.patch(
        f"/api/v1/volunteers/{volunteer['id']}",
        json={"partner": "boulangerie-martin", "skills": ["javascript"]},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["partner"], changed.json()["skills"]) == (
        "boulangerie-martin",
        ["javascript"],
    )
    freelance = await client.patch(
        f"/api/v1/volunteers/{volunteer['id']}", json={"partner": None}, headers=headers
    )
    assert freelance.json()["partner"] is None
    entries = await client.get(
        "/api/v1/audit",
        params={"target_type": "volunteer", "target_id": volunteer["id"]},
        headers=people.auth("admin"),
    )
    assert [(e["action"], e["details"]) for e in entries.json()["items"]] == [
        ("volunteer.updated", {"fields": ["partner"]}),
        ("volunteer.updated", {"fields": ["partner", "skills"]}),
        ("volunteer.created", {}),
    ]


async def test_lists_are_paginated_and_bounded(client, people):
    for first_name in ("Ana", "Bruno", "Chloé"):
        await created(client, people, EMPLOYEE | {"first_name": first_name})
    headers = people.auth("paris_manager")
    page = await client.get("/api/v1/volunteers", params={"limit": 2, "offset": 1}, headers=headers)
    assert [v["first_name"] for v in page.json()["items"]] == ["Bruno", "Chloé"]
    assert (page.json()["total"], page.json()["limit"], page.json()["offset"]) == (3, 2, 1)
    too_many = await client.get("/api/v1/volunteers", params={"limit": 500}, headers=headers)
    assert too_many.status_code == 400


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"last_name": None}, 422, "last_name"),
        ({"partner": "ville"}, 422, "partner"),
        ({"partner": "inconnu"}, 422, "partner"),
        ({"phone": "12"}, 422, "phone"),
        ({"site": "lyon"}, 404, "site"),
        ({"learner": 999_999, **dict.fromkeys(PERSONAL)}, 404, "learner"),
        ({"learner": 1}, 422, "first_name"),
        ({"skills": ["Excel avancé"]}, 400, "$.skills[0]"),
        ({"nickname": "Clo"}, 400, "$"),
    ],
)
async def test_a_wrong_volunteer_is_refused_with_its_field(client, people, change, status, field):
    body = {k: v for k, v in (EMPLOYEE | change).items() if v is not None}
    response = await create(client, people, body)
    assert response.status_code == status, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert await Volunteer.count() == 0


async def test_a_partner_that_lends_no_volunteers_is_refused_on_change_too(client, people):
    volunteer = await created(client, people)
    response = await client.patch(
        f"/api/v1/volunteers/{volunteer['id']}",
        json={"partner": "ville"},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "partner",
            "message": "partner 'ville' of sites/paris.toml lends no volunteers: its kinds "
            "include neither volunteering nor host_company",
        }
    ]


async def test_a_bordeaux_manager_cannot_see_or_touch_paris_volunteers(client, people):
    volunteer = await created(client, people)
    headers = people.auth("bordeaux_manager")
    url = f"/api/v1/volunteers/{volunteer['id']}"
    assert (await client.get(url, headers=headers)).status_code == 404
    assert (await client.patch(url, json={"skills": []}, headers=headers)).status_code == 404
    assert (await client.get(f"{url}/availability", headers=headers)).status_code == 404
    listed = await client.get("/api/v1/volunteers", headers=headers)
    assert listed.json()["items"] == [] and listed.json()["total"] == 0
    elsewhere = await create(client, people, EMPLOYEE, who="bordeaux_manager")
    assert elsewhere.status_code == 404
    assert elsewhere.json()["errors"][0]["field"] == "site"
    mine = await created(client, people, EMPLOYEE | {"site": "bordeaux"}, who="bordeaux_manager")
    assert mine["partner"] == "acme"  # the key of Bordeaux's own file
    everything = await client.get("/api/v1/volunteers", headers=people.auth("admin"))
    assert everything.json()["total"] == 2


@pytest.mark.parametrize("who", ["central", "paris_trainer"])
async def test_the_central_team_and_trainers_see_no_volunteer(client, people, who):
    volunteer = await created(client, people)
    headers = people.auth(who)
    assert (await client.get("/api/v1/volunteers", headers=headers)).status_code == 403
    url = f"/api/v1/volunteers/{volunteer['id']}"
    assert (await client.get(url, headers=headers)).status_code == 403
    assert (await create(client, people, EMPLOYEE, who=who)).status_code == 403


async def test_a_former_learner_volunteers_as_one_person_record(client, people):
    headers = people.auth("paris_manager")
    learner = await client.post("/api/v1/learners", json=LEARNER, headers=headers)
    learner_id = learner.json()["id"]
    volunteer = await created(
        client, people, {"site": "paris", "learner": learner_id, "skills": ["wolof"]}
    )
    assert (volunteer["learner"], volunteer["first_name"], volunteer["last_name"]) == (
        learner_id,
        "Awa",
        "Diallo",
    )
    # The learner's record is corrected: the volunteer shows it, since nothing was copied.
    await client.patch(
        f"/api/v1/learners/{learner_id}",
        json={"last_name": "Diallo-Sow", "email": "awa@example.org"},
        headers=headers,
    )
    again = await client.get(f"/api/v1/volunteers/{volunteer['id']}", headers=headers)
    assert (again.json()["last_name"], again.json()["email"]) == ("Diallo-Sow", "awa@example.org")
    row = await Volunteer.select().where(Volunteer.id == volunteer["id"]).first()
    assert (row["first_name"], row["last_name"], row["email"], row["phone"]) == ("", "", "", "")
    # Names are corrected on the record, never on the volunteer; one volunteer per learner.
    renamed = await client.patch(
        f"/api/v1/volunteers/{volunteer['id']}", json={"first_name": "Awa"}, headers=headers
    )
    assert renamed.status_code == 422
    assert renamed.json()["errors"][0]["field"] == "first_name"
    twice = await create(client, people, {"site": "paris", "learner": learner_id})
    assert twice.status_code == 409
    assert twice.json()["errors"][0]["field"] == "learner"


async def test_a_learner_out_of_reach_does_not_become_a_volunteer(client, people):
    learner = await client.post(
        "/api/v1/learners", json=LEARNER, headers=people.auth("paris_manager")
    )
    response = await create(
        client,
        people,
        {"site": "bordeaux", "learner": learner.json()["id"]},
        who="bordeaux_manager",
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "learner"


async def test_merging_a_volunteers_learner_record_keeps_the_volunteer(client, people):
    headers = people.auth("paris_manager")
    ids = []
    for body in (LEARNER, LEARNER | {"last_name": "DIALLO", "confirm_new_person": True}):
        ids.append((await client.post("/api/v1/learners", json=body, headers=headers)).json()["id"])
    kept, removed = ids
    volunteer = await created(client, people, {"site": "paris", "learner": removed})
    merged = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth("admin")
    )
    assert merged.status_code == 200, merged.text
    again = await client.get(f"/api/v1/volunteers/{volunteer['id']}", headers=headers)
    assert again.json()["learner"] == kept


async def test_two_learner_records_that_are_both_volunteers_are_not_merged(client, people):
    headers = people.auth("paris_manager")
    ids = []
    for body in (LEARNER, LEARNER | {"last_name": "DIALLO", "confirm_new_person": True}):
        learner_id = (await client.post("/api/v1/learners", json=body, headers=headers)).json()[
            "id"
        ]
        await created(client, people, {"site": "paris", "learner": learner_id})
        ids.append(learner_id)
    kept, removed = ids
    merged = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth("admin")
    )
    assert merged.status_code == 409
    assert "both volunteers" in merged.json()["detail"]
    still = await client.get(f"/api/v1/learners/{removed}", headers=headers)
    assert still.status_code == 200


WINDOWS = [
    {"weekday": 1, "starts_at": "14:00:00", "ends_at": "18:00:00"},
    {"weekday": 3, "starts_at": "09:00:00", "ends_at": "12:00:00", "valid_until": "2026-12-31"},
]


async def test_a_volunteers_availability_is_replaced_as_a_whole(client, people):
    volunteer = await created(client, people)
    url = f"/api/v1/volunteers/{volunteer['id']}/availability"
    headers = people.auth("paris_manager")
    assert (await client.get(url, headers=headers)).json() == {
        "person": f"volunteer:{volunteer['id']}",
        "windows": [],
    }
    response = await client.put(url, json={"windows": WINDOWS[::-1]}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["windows"] == [
        WINDOWS[0] | {"valid_from": None, "valid_until": None},
        WINDOWS[1] | {"valid_from": None},
    ]
    cleared = await client.put(url, json={"windows": []}, headers=headers)
    assert cleared.json()["windows"] == []


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"ends_at": "08:00:00"}, "windows[1].ends_at"),
        ({"valid_from": "2026-10-01", "valid_until": "2026-09-01"}, "windows[1].valid_until"),
    ],
)
async def test_a_window_that_ends_before_it_starts_is_refused(client, people, window, field):
    volunteer = await created(client, people)
    url = f"/api/v1/volunteers/{volunteer['id']}/availability"
    body = {"windows": [WINDOWS[0], WINDOWS[0] | window]}
    response = await client.put(url, json=body, headers=people.auth("paris_manager"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def trainer_id() -> int:
    from core.auth.service import principal_by_email

    return (await principal_by_email("paris_trainer@example.org")).account_id


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("paris_trainer", 200),
        ("paris_manager", 200),
        ("admin", 200),
        ("bordeaux_manager", 404),
        ("central", 403),
    ],
)
async def test_a_trainers_availability_is_set_by_them_or_their_sites_managers(
    client, people, who, status
):
    url = f"/api/v1/accounts/{await trainer_id()}/availability"
    response = await client.put(url, json={"windows": WINDOWS}, headers=people.auth(who))
    assert response.status_code == status, response.text
    if status == 200:
        read = await client.get(url, headers=people.auth("paris_trainer"))
        assert len(read.json()["windows"]) == 2


async def test_a_trainer_sets_no_one_elses_availability_and_only_staff_have_any(client, people):
    from core.auth.service import principal_by_email

    manager = (await principal_by_email("paris_manager@example.org")).account_id
    central = (await principal_by_email("central@example.org")).account_id
    mine = await client.put(
        f"/api/v1/accounts/{manager}/availability",
        json={"windows": []},
        headers=people.auth("paris_trainer"),
    )
    assert mine.status_code == 403
    not_staff = await client.get(
        f"/api/v1/accounts/{central}/availability", headers=people.auth("admin")
    )
    assert not_staff.status_code == 404
