"""A cohort's rhythm, room and status over the API, and its sessions planned and re-planned."""

from __future__ import annotations

from datetime import timedelta

import pytest

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}


async def patch(client, people, cohort, body, who="paris_manager"):
    return await client.patch(f"/api/v1/cohorts/{cohort}", json=body, headers=people.auth(who))


async def plan(client, people, cohort, who="paris_manager"):
    return await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(who))


async def test_a_rhythm_and_a_room_make_a_calendar(client, people):
    changed = await patch(client, people, people.paris_cohort, RHYTHM | {"room": "salle-a"})
    assert changed.status_code == 200, changed.text
    assert changed.json() | RHYTHM == changed.json()
    assert changed.json()["room"] == "salle-a"
    planned = await plan(client, people, people.paris_cohort)
    assert planned.status_code == 200, planned.text
    sessions = planned.json()["items"]
    # The cohort starts on Monday 5 October 2026; two 2-hour sessions.
    assert [(s["day"], s["starts_at"], s["ends_at"], s["title"]) for s in sessions] == [
        ("2026-10-05", "09:30:00", "11:30:00", "Les bases (1/2)"),
        ("2026-10-08", "09:30:00", "11:30:00", "Les bases (2/2)"),
    ]
    assert sessions[0]["start"] == "2026-10-05T09:30:00+02:00"
    assert {s["room"] for s in sessions} == {"salle-a"}
    assert {s["timezone"] for s in sessions} == {"Europe/Paris"}
    cohort = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}", headers=people.auth("paris_trainer")
    )
    assert cohort.json()["ends_on"] == "2026-10-08"
    listed = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions", headers=people.auth("paris_trainer")
    )
    assert listed.json() == planned.json()


async def test_planning_again_keeps_the_sessions_already_held(client, people, clock):
    await patch(client, people, people.paris_cohort, RHYTHM)
    first = (await plan(client, people, people.paris_cohort)).json()["items"]
    # After the first session, the cohort moves to Tuesdays.
    clock.advance(timedelta(days=35, hours=2))  # Tuesday 6 October 2026, noon in Paris
    await patch(client, people, people.paris_cohort, RHYTHM | {"weekdays": [2]})
    again = await plan(client, people, people.paris_cohort)
    assert again.status_code == 200, again.text
    items = again.json()["items"]
    assert items[0] == first[0], "a held session is kept as it was"
    assert [(s["sequence"], s["day"]) for s in items] == [(1, "2026-10-05"), (2, "2026-10-13")]
    assert again.json()["held"] == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"room": "salle-z"}, 422, "room"),
        ({"weekdays": [1]}, 422, "weekdays"),
        ({"weekdays": [1], "day_starts": "11:00:00", "day_ends": "10:00:00"}, 422, "day_ends"),
        ({"weekdays": [8], "day_starts": "09:00:00", "day_ends": "10:00:00"}, 400, None),
        ({"status": "finished"}, 409, "status"),
        ({"lead_trainer": 999}, 422, "lead_trainer"),
    ],
)
async def test_a_wrong_change_is_refused_with_its_field(client, people, body, status, field):
    response = await patch(client, people, people.paris_cohort, body)
    assert response.status_code == status, response.text
    if field:
        assert [error["field"] for error in response.json()["errors"]] == [field]
    unchanged = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}", headers=people.auth("admin")
    )
    assert unchanged.json()["status"] == "planned"
    assert unchanged.json()["room"] is None


async def test_a_cohort_moves_through_its_statuses_and_a_finished_one_is_not_replanned(
    client, people
):
    await patch(client, people, people.paris_cohort, RHYTHM)
    for status in ("open", "running", "finished"):
        moved = await patch(client, people, people.paris_cohort, {"status": status})
        assert moved.status_code == 200, moved.text
    refused = await plan(client, people, people.paris_cohort)
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "status"


async def test_without_a_rhythm_or_with_too_short_a_slot_nothing_is_planned(client, people):
    missing = await plan(client, people, people.paris_cohort)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "weekdays"
    await patch(client, people, people.paris_cohort, RHYTHM | {"day_ends": "10:30:00"})
    short = await plan(client, people, people.paris_cohort)
    assert short.status_code == 422
    assert "does not fit the daily slot of 60 minutes" in short.json()["detail"]
    listed = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions", headers=people.auth("paris_manager")
    )
    assert listed.json() == {"items": [], "held": 0, "conflicts": []}


@pytest.mark.parametrize(("who", "status"), [("bordeaux_manager", 404), ("paris_trainer", 403)])
async def test_only_the_sites_managers_change_or_plan_a_cohort(client, people, who, status):
    assert (await patch(client, people, people.paris_cohort, RHYTHM, who=who)).status_code == status
    assert (await plan(client, people, people.paris_cohort, who=who)).status_code == status


async def second_cohort(client, people, **fields):
    body = {
        "site": "paris",
        "program": "atelier",
        "track": "initiation",
        "title": "Initiation du soir",
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-30",
    } | fields
    created = await client.post("/api/v1/cohorts", json=body, headers=people.auth("admin"))
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_planning_shows_a_trainer_booked_twice_and_a_room_too_small(client, people):
    from core.auth.service import principal_by_email

    trainer = (await principal_by_email("paris_trainer@example.org")).account_id
    other = await second_cohort(client, people, capacity=16)
    await patch(client, people, people.paris_cohort, RHYTHM | {"lead_trainer": trainer})
    evening = RHYTHM | {"day_starts": "10:30:00", "day_ends": "12:30:00"}
    await patch(client, people, other, evening | {"lead_trainer": trainer, "room": "salle-a"})
    await plan(client, people, people.paris_cohort)
    planned = await plan(client, people, other)
    conflicts = planned.json()["conflicts"]
    assert sorted((c["kind"], c["day"]) for c in conflicts) == [
        ("person_double_booked", "2026-10-05"),
        ("person_double_booked", "2026-10-08"),
        ("room_too_small", "2026-10-05"),
        ("room_too_small", "2026-10-08"),
    ]
    too_small = next(c for c in conflicts if c["kind"] == "room_too_small")
    assert too_small["detail"] == "la salle salle-a a 14 places pour un groupe de 16"
    # The first cohort sees the double booking too, from its side.
    first = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions", headers=people.auth("paris_manager")
    )
    assert [c["kind"] for c in first.json()["conflicts"]] == ["person_double_booked"] * 2

    site = await client.get(
        "/api/v1/sites/paris/conflicts",
        params={"from": "2026-10-01", "to": "2026-10-06"},
        headers=people.auth("central"),
    )
    assert site.status_code == 200, site.text
    assert sorted(c["kind"] for c in site.json()["items"]) == [
        "person_double_booked",
        "room_too_small",
    ]


@pytest.mark.parametrize("who", ["paris_trainer", "bordeaux_manager"])
async def test_a_sites_conflicts_are_for_its_managers_and_the_central_team(client, people, who):
    response = await client.get("/api/v1/sites/paris/conflicts", headers=people.auth(who))
    assert response.status_code == 404


async def test_a_reversed_period_is_refused(client, people):
    response = await client.get(
        "/api/v1/sites/paris/conflicts",
        params={"from": "2026-10-06", "to": "2026-10-01"},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to"
