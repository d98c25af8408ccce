"""Enrolment into a cohort with a hard capacity, the waitlist in order, the roster (C2)."""

from __future__ import annotations

import pytest

from tests.applications import history
from tests.enrolment import admitted, enrol, roster, small_cohort


async def test_enrolment_fills_the_capacity_then_waitlists_in_order(client, people):
    cohort = await small_cohort(people, capacity=2)
    applications = [await admitted(client, people) for _ in range(4)]
    answers = [await enrol(client, people, cohort, application) for application in applications]
    assert [(a["status"], a["position"]) for a in answers] == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    events = (await history(client, people, applications[2]))["events"]
    assert (events[-1]["from_status"], events[-1]["to_status"]) == ("admitted", "waitlisted")
    assert "rang 1" in events[-1]["reason"]
    body = await roster(client, people, cohort)
    assert [entry["application"] for entry in body["enrolled"]] == applications[:2]
    assert [(e["application"], e["position"]) for e in body["waitlist"]] == [
        (applications[2], 1),
        (applications[3], 2),
    ]
    assert body["places_left"] == 0


async def test_the_roster_shows_the_share_of_women_and_never_refuses(client, people):
    cohort = await small_cohort(people, capacity=4)
    empty = await roster(client, people, cohort)
    assert (empty["women_share"], empty["women_warning"], empty["women_target"]) == (
        None,
        False,
        0.5,
    )
    for gender in ("male", "male", "female"):
        await enrol(client, people, cohort, await admitted(client, people, gender=gender))
    body = await roster(client, people, cohort)
    assert round(body["women_share"], 3) == 0.333
    assert body["women_warning"] is True
    await enrol(client, people, cohort, await admitted(client, people, gender="female"))
    body = await roster(client, people, cohort)
    assert (body["women_share"], body["women_warning"]) == (0.5, False)


async def test_refused_enrolments_say_why(client, people):
    cohort = await small_cohort(people, capacity=3)
    application = await admitted(client, people)
    await enrol(client, people, cohort, application)
    body = await enrol(client, people, cohort, application, expect=409)
    assert body["detail"] == f"application {application} is already enrolled in cohort {cohort}"
    other = await small_cohort(people, capacity=3)
    body = await enrol(client, people, other, application, expect=409)
    assert "already enrolled" in body["detail"]


async def test_only_an_admitted_application_is_enrolled(client, people):
    from tests.applications import apply, make_learner

    cohort = await small_cohort(people, capacity=3)
    application = (await apply(client, people, await make_learner(client, people)))["id"]
    body = await enrol(client, people, cohort, application, expect=409)
    assert body["detail"] == (
        f"application {application} is submitted: only an admitted application is enrolled"
    )


async def test_bad_input_names_the_field(client, people):
    cohort = await small_cohort(people, capacity=3)
    response = await client.post(
        f"/api/v1/cohorts/{cohort}/enrolments", json={}, headers=people.auth("paris_manager")
    )
    assert response.status_code == 400
    assert "application_id" in response.text
    body = await enrol(client, people, cohort, 999_999, expect=404)
    assert body["errors"][0]["field"] == "application_id"
    bordeaux = await small_cohort(people, capacity=3, site="bordeaux")
    application = await admitted(client, people)
    body = await enrol(client, people, bordeaux, application, who="admin", expect=422)
    assert body["errors"][0]["field"] == "application_id"


async def test_scope(client, people):
    cohort = await small_cohort(people, capacity=3)
    application = await admitted(client, people)
    await enrol(client, people, cohort, application, who="bordeaux_manager", expect=404)
    await enrol(client, people, cohort, application, who="paris_trainer", expect=404)
    await enrol(client, people, people.paris_cohort, application, who="paris_trainer", expect=403)
    await enrol(client, people, cohort, application, who="central", expect=403)
    response = await client.get(
        f"/api/v1/cohorts/{cohort}/roster", headers=people.auth("bordeaux_manager")
    )
    assert response.status_code == 404
    await enrol(client, people, cohort, application, who="admin")


async def test_concurrent_requests_never_exceed_the_capacity(client, people):
    """In-process and on both engines: 20 requests at once for 5 places."""
    import asyncio

    cohort = await small_cohort(people, capacity=5)
    applications = [await admitted(client, people) for _ in range(20)]
    answers = await asyncio.gather(
        *(enrol(client, people, cohort, application) for application in applications)
    )
    assert sorted(a["status"] for a in answers).count("enrolled") == 5
    positions = sorted(a["position"] for a in answers if a["status"] == "waitlisted")
    assert positions == list(range(1, 16))


async def test_the_roster_shows_the_share_of_priority_neighbourhood_residents_against_the_target(
    client, people
):
    resident = {"qpv_resident": True, "qpv_checked_on": "2026-08-01", "qpv_map_version": "2024"}
    for fields in (resident, {}, {}):
        application = await admitted(client, people, **fields)
        await enrol(client, people, people.paris_cohort, application)
    shown = await roster(client, people, people.paris_cohort)
    # tests/sites/paris.toml asks for 30 % of residents of priority neighbourhoods.
    assert shown["priority_neighbourhood_share"] == pytest.approx(1 / 3)
    assert shown["priority_neighbourhood_target"] == 0.3
    assert shown["priority_neighbourhood_warning"] is False
    application = await admitted(client, people)
    await enrol(client, people, people.paris_cohort, application)
    assert (await roster(client, people, people.paris_cohort))["priority_neighbourhood_warning"]
    bordeaux = await roster(client, people, people.bordeaux_cohort, who="bordeaux_manager")
    assert bordeaux["priority_neighbourhood_target"] is None
    assert bordeaux["priority_neighbourhood_warning"] is False
