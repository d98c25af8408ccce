"""Volunteers booked for sessions: who may book whom, and the conflicts the booking makes
(a volunteer at two sessions at once, a person outside the availability they declared)."""

from __future__ import annotations

from datetime import timedelta

import pytest

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
LATER = RHYTHM | {"day_starts": "10:30:00", "day_ends": "12:30:00"}
VOLUNTEER = {"site": "paris", "first_name": "Claire", "last_name": "Fontaine", "partner": "acme"}


async def planned(client, people, cohort, rhythm=RHYTHM, who="paris_manager") -> list[dict]:
    """Give the cohort a rhythm and plan it; its sessions (Monday 5 and Thursday 8 October)."""
    headers = people.auth(who)
    changed = await client.patch(f"/api/v1/cohorts/{cohort}", json=rhythm, headers=headers)
    assert changed.status_code == 200, changed.text
    plan = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=headers)
    assert plan.status_code == 200, plan.text
    return plan.json()["items"]


async def second_cohort(client, people) -> int:
    body = {
        "site": "paris",
        "program": "atelier",
        "track": "initiation",
        "title": "Initiation du midi",
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-30",
    }
    created = await client.post("/api/v1/cohorts", json=body, headers=people.auth("admin"))
    return created.json()["id"]


async def volunteer(client, people, body=VOLUNTEER, who="paris_manager") -> int:
    response = await client.post("/api/v1/volunteers", json=body, headers=people.auth(who))
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def book(client, people, session, volunteer_id, who="paris_manager"):
    return await client.post(
        f"/api/v1/sessions/{session}/volunteers",
        json={"volunteer": volunteer_id},
        headers=people.auth(who),
    )


async def conflicts(client, people, cohort, who="paris_manager") -> list[tuple]:
    listed = await client.get(f"/api/v1/cohorts/{cohort}/sessions", headers=people.auth(who))
    return sorted((c["kind"], c["day"], c["person"]) for c in listed.json()["conflicts"])


async def test_a_session_has_several_volunteers_booked_and_taken_off(client, people):
    [first, _] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    malik = await volunteer(client, people, VOLUNTEER | {"first_name": "Malik", "partner": None})
    assert (await book(client, people, first["id"], claire)).status_code == 201
    both = await book(client, people, first["id"], malik)
    assert both.status_code == 201, both.text
    assert [v["first_name"] for v in both.json()["volunteers"]] == ["Claire", "Malik"]
    url = f"/api/v1/sessions/{first['id']}/volunteers"
    headers = people.auth("paris_manager")
    assert (await client.delete(f"{url}/{claire}", headers=headers)).status_code == 204
    listed = await client.get(url, headers=headers)
    assert [v["id"] for v in listed.json()["volunteers"]] == [malik]
    assert (await client.delete(f"{url}/{claire}", headers=headers)).status_code == 404
    assert await conflicts(client, people, people.paris_cohort) == []


async def test_a_wrong_booking_is_refused_with_its_field(client, people):
    [first, _] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    await book(client, people, first["id"], claire)
    twice = await book(client, people, first["id"], claire)
    assert (twice.status_code, twice.json()["errors"][0]["field"]) == (409, "volunteer")
    unknown = await book(client, people, first["id"], 999_999)
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (404, "volunteer")
    bordeaux = await volunteer(client, people, VOLUNTEER | {"site": "bordeaux"}, "bordeaux_manager")
    theirs = await book(client, people, first["id"], bordeaux)
    assert (theirs.status_code, theirs.json()["errors"][0]["field"]) == (404, "volunteer")
    malik = await volunteer(client, people, VOLUNTEER | {"first_name": "Malik"})
    headers = people.auth("paris_manager")
    await client.patch(f"/api/v1/volunteers/{malik}", json={"active": False}, headers=headers)
    inactive = await book(client, people, first["id"], malik)
    assert (inactive.status_code, inactive.json()["errors"][0]["field"]) == (422, "volunteer")
    missing = await client.post(
        f"/api/v1/sessions/{first['id']}/volunteers", json={}, headers=headers
    )
    assert missing.status_code == 400


@pytest.mark.parametrize(("who", "status"), [("bordeaux_manager", 404), ("paris_trainer", 403)])
async def test_only_the_sites_managers_book_volunteers(client, people, who, status):
    [first, _] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    assert (await book(client, people, first["id"], claire, who=who)).status_code == status
    url = f"/api/v1/sessions/{first['id']}/volunteers"
    assert (await client.get(url, headers=people.auth(who))).status_code == status


async def test_a_volunteer_booked_at_two_sessions_at_once_is_a_conflict(client, people):
    [monday, thursday] = await planned(client, people, people.paris_cohort)
    other = await second_cohort(client, people)
    [other_monday, _] = await planned(client, people, other, LATER)
    claire = await volunteer(client, people)
    await book(client, people, monday["id"], claire)
    booked = await book(client, people, other_monday["id"], claire)
    assert booked.status_code == 201
    person = f"volunteer:{claire}"
    assert await conflicts(client, people, people.paris_cohort) == [
        ("person_double_booked", "2026-10-05", person)
    ]
    assert await conflicts(client, people, other) == [
        ("person_double_booked", "2026-10-05", person)
    ]
    # Booked on Thursday in the first cohort only: no other conflict.
    await book(client, people, thursday["id"], claire)
    assert len(await conflicts(client, people, people.paris_cohort)) == 1
    site = await client.get(
        "/api/v1/sites/paris/conflicts",
        params={"from": "2026-10-01", "to": "2026-10-31"},
        headers=people.auth("central"),
    )
    [conflict] = site.json()["items"]
    assert conflict["detail"] == (
        f"la personne (bénévole {claire}) est prévue à deux séances en même temps"
    )


async def test_a_volunteer_booked_at_another_site_at_the_same_time_is_found(client, people):
    [monday, _] = await planned(client, people, people.paris_cohort)
    [bordeaux_monday, _] = await planned(
        client, people, people.bordeaux_cohort, LATER, who="bordeaux_manager"
    )
    claire = await volunteer(client, people)
    await book(client, people, monday["id"], claire)
    # An admin lends the Paris volunteer to Bordeaux on the same morning.
    lent = await book(client, people, bordeaux_monday["id"], claire, who="admin")
    assert lent.status_code == 201, lent.text
    assert await conflicts(client, people, people.paris_cohort) == [
        ("person_double_booked", "2026-10-05", f"volunteer:{claire}")
    ]


async def test_a_session_outside_a_volunteers_availability_is_a_conflict(client, people):
    [monday, thursday] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    windows = [{"weekday": 4, "starts_at": "09:00:00", "ends_at": "12:00:00"}]
    await client.put(
        f"/api/v1/volunteers/{claire}/availability",
        json={"windows": windows},
        headers=people.auth("paris_manager"),
    )
    await book(client, people, monday["id"], claire)
    await book(client, people, thursday["id"], claire)
    assert await conflicts(client, people, people.paris_cohort) == [
        ("outside_availability", "2026-10-05", f"volunteer:{claire}")
    ]


async def test_a_session_outside_its_trainers_availability_is_a_conflict(client, people):
    from core.auth.service import principal_by_email

    trainer = (await principal_by_email("paris_trainer@example.org")).account_id
    only_thursdays = [{"weekday": 4, "starts_at": "09:00:00", "ends_at": "18:00:00"}]
    await client.put(
        f"/api/v1/accounts/{trainer}/availability",
        json={"windows": only_thursdays},
        headers=people.auth("paris_trainer"),
    )
    await planned(client, people, people.paris_cohort, RHYTHM | {"lead_trainer": trainer})
    assert await conflicts(client, people, people.paris_cohort) == [
        ("outside_availability", "2026-10-05", f"account:{trainer}")
    ]
    # No window declared any more: no constraint.
    await client.put(
        f"/api/v1/accounts/{trainer}/availability",
        json={"windows": []},
        headers=people.auth("paris_trainer"),
    )
    assert await conflicts(client, people, people.paris_cohort) == []


async def test_planning_again_keeps_volunteers_on_the_sessions_of_the_same_number(
    client, people, clock
):
    [monday, thursday] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    await book(client, people, monday["id"], claire)
    await book(client, people, thursday["id"], claire)
    clock.advance(timedelta(days=35, hours=2))  # Tuesday 6 October, after the first session
    again = await planned(client, people, people.paris_cohort, RHYTHM | {"weekdays": [3]})
    assert [(s["sequence"], s["day"]) for s in again] == [(1, "2026-10-05"), (2, "2026-10-07")]
    headers = people.auth("paris_manager")
    for session in again:
        listed = await client.get(f"/api/v1/sessions/{session['id']}/volunteers", headers=headers)
        assert [v["id"] for v in listed.json()["volunteers"]] == [claire]


async def test_deactivating_a_volunteer_takes_them_off_the_sessions_not_started(
    client, people, clock
):
    [monday, thursday] = await planned(client, people, people.paris_cohort)
    claire = await volunteer(client, people)
    await book(client, people, monday["id"], claire)
    await book(client, people, thursday["id"], claire)
    clock.advance(timedelta(days=35, hours=2))  # Tuesday 6 October
    headers = people.auth("paris_manager")
    left = await client.patch(
        f"/api/v1/volunteers/{claire}", json={"active": False}, headers=headers
    )
    assert left.json()["active"] is False
    held = await client.get(f"/api/v1/sessions/{monday['id']}/volunteers", headers=headers)
    ahead = await client.get(f"/api/v1/sessions/{thursday['id']}/volunteers", headers=headers)
    assert [v["id"] for v in held.json()["volunteers"]] == [claire]
    assert ahead.json()["volunteers"] == []
