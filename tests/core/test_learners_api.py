"""Learner records: created by a site's staff, seen only within the caller's scope, found by
name, phone or birth date in bounded pages."""

import pytest

LEARNER = {
    "site": "paris",
    "first_name": "Awa",
    "last_name": "Diallo",
    "gender": "female",
    "birth_date": "1998-04-02",
    "phone": "06 12 34 56 78",
    "french_level": "B1",
}

OTHER = {
    "site": "bordeaux",
    "first_name": "Lina",
    "last_name": "Haddad",
    "gender": "female",
    "birth_date": "2001-11-30",
    "phone": "07 98 76 54 32",
}


async def create(client, people, body=None, who="paris_manager", **change):
    response = await client.post(
        "/api/v1/learners", json=(body or LEARNER) | change, headers=people.auth(who)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_site_manager_records_and_reads_a_learner(client, people):
    created = await create(client, people)
    assert created["french_level"] == "B1"
    assert created["refugee_status"] == "unknown"
    fetched = await client.get(
        f"/api/v1/learners/{created['id']}", headers=people.auth("paris_manager")
    )
    assert fetched.json() == created


async def test_only_names_site_and_gender_are_required(client, people):
    body = {"site": "paris", "first_name": "Jean", "last_name": "Martin", "gender": "male"}
    created = await create(client, people, body)
    assert created["birth_date"] is None
    assert created["under_26"] is None
    assert created["languages"] == []
    assert created["highest_qualification"] == "unknown"


async def test_another_sites_manager_gets_404_and_never_sees_the_row(client, people):
    paris = await create(client, people)
    await create(client, people, OTHER, who="bordeaux_manager")
    headers = people.auth("bordeaux_manager")
    assert (await client.get(f"/api/v1/learners/{paris['id']}", headers=headers)).status_code == 404
    listed = await client.get("/api/v1/learners", headers=headers)
    assert [row["site"] for row in listed.json()["items"]] == ["bordeaux"]
    searched = await client.get("/api/v1/learners", params={"name": "Awa"}, headers=headers)
    assert searched.json()["total"] == 0
    patched = await client.patch(
        f"/api/v1/learners/{paris['id']}", json={"phone": ""}, headers=headers
    )
    assert patched.status_code == 404


async def test_a_manager_cannot_record_a_learner_at_another_site(client, people):
    response = await client.post(
        "/api/v1/learners", json=LEARNER, headers=people.auth("bordeaux_manager")
    )
    assert response.status_code == 404


async def test_the_central_team_sees_no_learner_record(client, people):
    created = await create(client, people)
    headers = people.auth("central")
    assert (await client.get("/api/v1/learners", headers=headers)).status_code == 403
    assert (
        await client.get(f"/api/v1/learners/{created['id']}", headers=headers)
    ).status_code == 403


async def test_trainers_see_no_learner_before_enrolments_exist(client, people):
    created = await create(client, people)
    headers = people.auth("paris_trainer")
    response = await client.get("/api/v1/learners", headers=headers)
    assert response.json()["total"] == 0
    assert (
        await client.get(f"/api/v1/learners/{created['id']}", headers=headers)
    ).status_code == 404


async def test_learners_are_found_by_name_whatever_the_case(client, people):
    await create(client, people)
    await create(client, people, first_name="Jean", last_name="Martin", phone="")
    response = await client.get(
        "/api/v1/learners", params={"name": "dial"}, headers=people.auth("admin")
    )
    assert [row["last_name"] for row in response.json()["items"]] == ["Diallo"]


@pytest.mark.parametrize("query", ["eloise n'diaye", "NDIAYE", "Diaye Éloïse", "  éloïse  "])
async def test_name_search_folds_accents_spaces_and_order(client, people, query):
    await create(client, people, first_name="Éloïse", last_name="N'Diaye", phone="")
    await create(client, people, first_name="Louise", last_name="Diallo", phone="")
    response = await client.get(
        "/api/v1/learners", params={"name": query}, headers=people.auth("paris_manager")
    )
    assert [row["first_name"] for row in response.json()["items"]] == ["Éloïse"]


@pytest.mark.parametrize("phone", ["0612345678", "+33 6 12 34 56 78", "06.12.34.56.78"])
async def test_learners_are_found_by_phone_whatever_its_form(client, people, phone):
    awa = await create(client, people)
    await create(client, people, OTHER | {"site": "paris"})
    response = await client.get(
        "/api/v1/learners", params={"phone": phone}, headers=people.auth("paris_manager")
    )
    assert [row["id"] for row in response.json()["items"]] == [awa["id"]]


async def test_learners_are_found_by_birth_date(client, people):
    await create(client, people)
    lina = await create(client, people, OTHER | {"site": "paris"})
    response = await client.get(
        "/api/v1/learners", params={"birth_date": "2001-11-30"}, headers=people.auth("admin")
    )
    assert [row["id"] for row in response.json()["items"]] == [lina["id"]]


async def test_a_phone_search_needs_enough_digits(client, people):
    response = await client.get(
        "/api/v1/learners", params={"phone": "06"}, headers=people.auth("admin")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"


async def test_lists_are_paginated_and_bounded(client, people):
    for index in range(3):
        await create(
            client, people, first_name=f"Personne{chr(97 + index)}", phone="", birth_date=None
        )
    headers = people.auth("paris_manager")
    page = (await client.get("/api/v1/learners", params={"limit": 2}, headers=headers)).json()
    assert (len(page["items"]), page["total"], page["limit"]) == (2, 3, 2)
    rest = await client.get("/api/v1/learners", params={"limit": 2, "offset": 2}, headers=headers)
    assert len(rest.json()["items"]) == 1
    too_many = await client.get("/api/v1/learners", params={"limit": 201}, headers=headers)
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "appelez-moi"}, "$.phone"),
        ({"french_level": "A3"}, "$.french_level"),
        ({"gender": "f"}, "$.gender"),
        ({"first_name": ""}, "$.first_name"),
    ],
)
async def test_bad_learner_fields_are_named(client, people, change, field):
    response = await client.post(
        "/api/v1/learners", json=LEARNER | change, headers=people.auth("admin")
    )
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert (await client.get("/api/v1/learners", headers=people.auth("admin"))).json()["total"] == 0
