"""The volunteering report: hours given per site and per lending company, counted in SQL
from the sessions volunteers were booked for that have ended; no person named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.core.test_volunteer_sessions import LATER, VOLUNTEER, book, planned, volunteer

PERIOD = {"from": "2026-10-01", "to": "2026-10-31"}


async def report(client, people, who="central", **params):
    return await client.get(
        "/api/v1/reports/volunteering", params=PERIOD | params, headers=people.auth(who)
    )


@pytest.fixture
async def booked(client, people, clock):
    """Paris: Claire (lent by Acme) at both 2-hour sessions, Malik (no company) at the
    first; Bordeaux: Inès (lent by Bordeaux's Acme) at both of a 2-hour cohort. The clock
    stands on Thursday 8 October at 11:00 in Paris: the Thursday sessions are under way."""
    [monday, thursday] = await planned(client, people, people.paris_cohort)
    [bordeaux_monday, bordeaux_thursday] = await planned(
        client, people, people.bordeaux_cohort, LATER, who="bordeaux_manager"
    )
    claire = await volunteer(client, people)
    malik = await volunteer(client, people, VOLUNTEER | {"first_name": "Malik", "partner": None})
    ines = await volunteer(
        client, people, VOLUNTEER | {"site": "bordeaux", "first_name": "Inès"}, "bordeaux_manager"
    )
    for session in (monday, thursday):
        await book(client, people, session["id"], claire)
    await book(client, people, monday["id"], malik)
    for session in (bordeaux_monday, bordeaux_thursday):
        await book(client, people, session["id"], ines, who="bordeaux_manager")
    clock.advance(timedelta(days=37, hours=1))  # 2026-10-08 09:00 UTC, 11:00 in Paris


async def test_hours_are_given_per_site_and_company_for_sessions_that_ended(
    client, people, clock, booked
):
    response = await report(client, people)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "first": "2026-10-01",
        "last": "2026-10-31",
        "volunteers": 3,
        "minutes": 360,
        "hours": 6.0,
        "sites": [
            {
                "site": "bordeaux",
                "volunteers": 1,
                "minutes": 120,
                "hours": 2.0,
                "companies": [
                    {
                        "partner": "acme",
                        "name": "Acme Conseil Bordeaux",
                        "volunteers": 1,
                        "minutes": 120,
                        "hours": 2.0,
                    }
                ],
            },
            {
                "site": "paris",
                "volunteers": 2,
                "minutes": 240,
                "hours": 4.0,
                "companies": [
                    {
                        "partner": "acme",
                        "name": "Acme Conseil",
                        "volunteers": 1,
                        "minutes": 120,
                        "hours": 2.0,
                    },
                    {"partner": None, "name": None, "volunteers": 1, "minutes": 120, "hours": 2.0},
                ],
            },
        ],
    }
    for name in ("Claire", "Malik", "Inès", "Fontaine"):
        assert name not in response.text
    # Once Thursday's sessions have ended (12:30 in Bordeaux), they count too.
    clock.advance(timedelta(hours=2))
    later = (await report(client, people)).json()
    assert [(s["site"], s["minutes"]) for s in later["sites"]] == [
        ("bordeaux", 240),
        ("paris", 360),
    ]
    assert later["sites"][1]["companies"][0]["minutes"] == 240
    assert (later["volunteers"], later["hours"]) == (3, 10.0)


async def test_the_period_counts_sessions_by_their_local_day(client, people, clock, booked):
    clock.advance(timedelta(days=30))
    thursday_only = (await report(client, people, **{"from": "2026-10-06"})).json()
    assert (thursday_only["volunteers"], thursday_only["minutes"]) == (2, 240)
    paris = (await report(client, people, site="paris", to="2026-10-05")).json()
    assert [(s["site"], s["volunteers"], s["minutes"]) for s in paris["sites"]] == [
        ("paris", 2, 240)
    ]
    nothing = (await report(client, people, **{"from": "2026-11-01", "to": "2026-11-30"})).json()
    assert (nothing["sites"], nothing["volunteers"], nothing["hours"]) == ([], 0, 0.0)


async def test_a_site_manager_sees_the_hours_of_their_sites_only(client, people, booked):
    mine = (await report(client, people, who="paris_manager")).json()
    assert [s["site"] for s in mine["sites"]] == ["paris"]
    assert mine["minutes"] == 240
    theirs = await report(client, people, who="paris_manager", site="bordeaux")
    assert theirs.status_code == 404
    assert theirs.json()["errors"][0]["field"] == "site"
    admin = (await report(client, people, who="admin")).json()
    assert [s["site"] for s in admin["sites"]] == ["bordeaux", "paris"]


async def test_the_report_is_refused_to_trainers_and_for_a_reversed_period(client, people):
    assert (await report(client, people, who="paris_trainer")).status_code == 403
    reversed_period = await report(client, people, **{"from": "2026-10-31", "to": "2026-10-01"})
    assert reversed_period.status_code == 422
    assert reversed_period.json()["errors"][0]["field"] == "to"
    no_period = await client.get("/api/v1/reports/volunteering", headers=people.auth("central"))
    assert no_period.status_code == 400
