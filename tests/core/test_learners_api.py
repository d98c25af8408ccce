"""Learner records: created by a site's staff, seen only within the caller's scope."""

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


async def _create(client, people, who="paris_manager", **change):
    response = await client.post(
        "/api/v1/learners", json=LEARNER | change, headers=people.auth(who)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_site_manager_records_and_reads_a_learner(client, people):
    created = await _create(client, people)
    assert created["french_level"] == "B1"
    fetched = await client.get(
        f"/api/v1/learners/{created['id']}", headers=people.auth("paris_manager")
    )
    assert fetched.json() == created


async def test_another_sites_manager_gets_404_and_never_sees_the_row(client, people):
    paris = await _create(client, people)
    await _create(client, people, who="bordeaux_manager", site="bordeaux", first_name="Lina")
    headers = people.auth("bordeaux_manager")
    assert (await client.get(f"/api/v1/learners/{paris['id']}", headers=headers)).status_code == 404
    listed = await client.get("/api/v1/learners", headers=headers)
    assert [row["site"] for row in listed.json()["items"]] == ["bordeaux"]
    searched = await client.get("/api/v1/learners", params={"name": "Awa"}, headers=headers)
    assert searched.json()["total"] == 0


async def test_a_manager_cannot_record_a_learner_at_another_site(client, people):
    response = await client.post(
        "/api/v1/learners", json=LEARNER, headers=people.auth("bordeaux_manager")
    )
    assert response.status_code == 404


async def test_the_central_team_sees_no_learner_record(client, people):
    created = await _create(client, people)
    headers = people.auth("central")
    assert (await client.get("/api/v1/learners", headers=headers)).status_code == 403
    assert (
        await client.get(f"/api/v1/learners/{created['id']}", headers=headers)
    ).status_code == 403


async def test_trainers_see_no_learner_before_enrolments_exist(client, people):
    await _create(client, people)
    response = await client.get("/api/v1/learners", headers=people.auth("paris_trainer"))
    assert response.json()["total"] == 0


async def test_learners_are_found_by_name_whatever_the_case(client, people):
    await _create(client, people)
    await _create(client, people, first_name="Jean", last_name="Martin")
    response = await client.get(
        "/api/v1/learners", params={"name": "dial"}, headers=people.auth("admin")
    )
    assert [row["last_name"] for row in response.json()["items"]] == ["Diallo"]


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
