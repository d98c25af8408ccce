"""Each role's home, in French and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.enrolment import admitted, enrol
from tests.web import sign_in


@pytest.fixture
async def held(client, people, clock):
    """The Paris cohort planned from Monday 5 October 2026 with two enrolled learners and one
    on the waitlist (capacity 2); the clock at 10:00 in Paris on the 5th."""
    manager = people.auth("paris_manager")
    cohort = people.paris_cohort
    rhythm = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
    await client.patch(f"/api/v1/cohorts/{cohort}", json=rhythm | {"capacity": 2}, headers=manager)
    await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=manager)
    for _ in range(3):
        await enrol(client, people, cohort, await admitted(client, people))
    clock.advance(timedelta(days=34))


async def test_the_site_manager_sees_todays_sessions_and_cohorts_filling_up(client, people, held):
    await sign_in(client, "paris_manager")
    page = await client.get("/antenne")
    assert page.status_code == 200
    assert "Séances du jour" in page.text and "lundi 5 octobre 2026" in page.text
    link = f'<a href="/cohortes/{people.paris_cohort}" translate="no">Initiation paris</a>'
    row = page.text.split(f'<th scope="row">{link}</th>')[1]
    cells = [cell.split("</td>")[0].strip() for cell in row.split("</tr>")[0].split("<td>")[1:]]
    assert cells[1:4] == ["2 sur 2", "0", "1"], "enrolled, places left, waitlist"
    assert "Initiation bordeaux" not in page.text


async def test_the_central_team_lands_on_the_dashboard(client, people):
    await sign_in(client, "central")
    page = await client.get("/espace", follow_redirects=True)
    assert page.url.path == "/central"
    assert "Tableau de bord" in page.text


@pytest.mark.parametrize(
    ("who", "asked", "home"),
    [("paris_trainer", "/antenne", "/mes-seances"), ("central", "/mes-seances", "/central")],
)
async def test_another_roles_home_sends_back_to_ones_own(client, people, who, asked, home):
    await sign_in(client, who)
    response = await client.get(asked)
    assert response.status_code == 303
    assert response.headers["location"] == home


async def test_the_trainers_sessions_in_english_with_english_dates(client, people, held):
    await sign_in(client, "paris_trainer")
    page = await client.get("/mes-seances?lang=en")
    assert '<html lang="en">' in page.text
    assert "My sessions" in page.text
    assert "Monday, October 5, 2026" in page.text
