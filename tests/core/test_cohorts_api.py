"""Opening and reading cohorts through the API, with the site's and program's checks."""

import pytest

COHORT = {
    "site": "paris",
    "program": "atelier",
    "track": "initiation",
    "title": "Initiation janvier",
    "starts_on": "2027-01-11",
    "ends_on": "2027-02-12",
}


async def test_site_manager_opens_a_cohort_with_the_site_capacity(client, people):
    response = await client.post(
        "/api/v1/cohorts", json=COHORT, headers=people.auth("paris_manager")
    )
    assert response.status_code == 201
    body = response.json()
    assert body["capacity"] == 12  # tests/sites/paris.toml, programs.atelier.capacity
    fetched = await client.get(f"/api/v1/cohorts/{body['id']}", headers=people.auth("admin"))
    assert fetched.json() == body


async def test_manager_of_another_site_cannot_open_a_cohort_there(client, people):
    response = await client.post(
        "/api/v1/cohorts", json=COHORT, headers=people.auth("bordeaux_manager")
    )
    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "site", "message": "no site 'paris'"}]


@pytest.mark.parametrize("who", ["central", "paris_trainer"])
async def test_roles_that_only_read_cannot_open_cohorts(client, people, who):
    response = await client.post("/api/v1/cohorts", json=COHORT, headers=people.auth(who))
    assert response.status_code in (403, 404)
    listed = await client.get("/api/v1/cohorts", headers=people.auth("admin"))
    assert listed.json()["total"] == 2  # only the two made by the fixture


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"program": "cuisine"}, "program"),
        ({"track": "approfondissement", "site": "bordeaux"}, "track"),
        ({"ends_on": "2027-01-01"}, "ends_on"),
    ],
)
async def test_rule_violations_name_the_field(client, people, change, field):
    response = await client.post(
        "/api/v1/cohorts", json=COHORT | change, headers=people.auth("admin")
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"capacity": "douze"}, "$.capacity"),
        ({"capacity": 0}, "$.capacity"),
        ({"starts_on": "11/01/2027"}, "$.starts_on"),
        ({"colour": "blue"}, "$"),
    ],
)
async def test_malformed_bodies_are_400_with_the_field_path(client, people, change, path):
    response = await client.post(
        "/api/v1/cohorts", json=COHORT | change, headers=people.auth("admin")
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["in"]) == (path, "body")
    assert error["message"]


async def test_a_missing_field_is_named(client, people):
    body = {key: value for key, value in COHORT.items() if key != "title"}
    response = await client.post("/api/v1/cohorts", json=body, headers=people.auth("admin"))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "$"
    assert "`title`" in error["message"]


async def test_the_owning_program_plans_the_cohort(client, people):
    response = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/plan", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200
    assert response.json() == [
        {"sequence": 1, "unit": "bases", "title": "Les bases (1/2)", "minutes": 120},
        {"sequence": 2, "unit": "bases", "title": "Les bases (2/2)", "minutes": 120},
    ]
    hidden = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/plan", headers=people.auth("bordeaux_manager")
    )
    assert hidden.status_code == 404


async def test_cohort_pages_are_bounded(client, people):
    too_many = await client.get(
        "/api/v1/cohorts", params={"limit": 1000}, headers=people.auth("admin")
    )
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["field"] == "limit"
    assert too_many.json()["errors"][0]["in"] == "query"
    page = await client.get(
        "/api/v1/cohorts", params={"limit": 1, "offset": 1}, headers=people.auth("admin")
    )
    assert page.json()["total"] == 2
    assert len(page.json()["items"]) == 1
