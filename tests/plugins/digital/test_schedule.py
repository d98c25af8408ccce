"""A DIGITAL beginner cohort in Paris, planned on Mondays and Thursdays (issue 4's example)."""

from __future__ import annotations


async def test_a_beginner_cohort_gets_ten_two_hour_sessions_around_the_may_holidays(client, people):
    created = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "paris",
            "program": "digital",
            "track": "beginner",
            "title": "Débutants printemps 2026",
            "starts_on": "2026-05-11",
            "ends_on": "2026-07-31",
        },
        headers=people.auth("paris_manager"),
    )
    assert created.status_code == 201, created.text
    cohort = created.json()["id"]
    rhythm = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
    changed = await client.patch(
        f"/api/v1/cohorts/{cohort}", json=rhythm, headers=people.auth("paris_manager")
    )
    assert changed.status_code == 200, changed.text
    planned = await client.post(
        f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth("paris_manager")
    )
    assert planned.status_code == 200, planned.text
    sessions = planned.json()["items"]
    assert len(sessions) == 10
    assert {(s["starts_at"], s["ends_at"]) for s in sessions} == {("09:30:00", "11:30:00")}
    days = [s["day"] for s in sessions]
    assert "2026-05-14" not in days, "Ascension"
    assert "2026-05-25" not in days, "Whit Monday"
    assert days[0] == "2026-05-11"
    assert days[-1] == "2026-06-18"
    assert [s["sequence"] for s in sessions] == list(range(1, 11))
    reread = await client.get(f"/api/v1/cohorts/{cohort}", headers=people.auth("paris_manager"))
    assert reread.json()["ends_on"] == "2026-06-18"
