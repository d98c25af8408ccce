"""Steps of a DIGITOUS learner's path through the HTTP API, shared by the journey and the
refusal tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from core.clock import FrozenClock
from tests.applications import apply, make_learner, move, record_result
from tests.enrolment import enrol

if TYPE_CHECKING:
    from tests.conftest import People

FULL_DAYS = {"weekdays": [1, 2, 3, 4, 5], "day_starts": "09:00:00", "day_ends": "17:00:00"}
"""Monday to Friday, 8 hours a day: one 8-hour session a day (see conftest's sites)."""
BASE = "/api/v1/programs/digitous/enrolments"


async def new_cohort(
    client: httpx.AsyncClient,
    people: People,
    track: str,
    starts_on: date,
    site: str = "paris",
    who: str = "paris_manager",
) -> int:
    """A DIGITOUS cohort of ``track`` at ``site``, meeting every weekday from ``starts_on``."""
    headers = people.auth(who)
    created = await client.post(
        "/api/v1/cohorts",
        json={
            "site": site,
            "program": "digitous",
            "track": track,
            "title": f"DIGITOUS {track} {site}",
            "starts_on": starts_on.isoformat(),
            "ends_on": (starts_on + timedelta(weeks=16)).isoformat(),
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    cohort = created.json()["id"]
    rhythm = await client.patch(f"/api/v1/cohorts/{cohort}", json=FULL_DAYS, headers=headers)
    assert rhythm.status_code == 200, rhythm.text
    return cohort


async def plan(
    client: httpx.AsyncClient, people: People, cohort: int, who: str = "paris_manager"
) -> list[dict[str, Any]]:
    """The cohort's sessions, placed from DIGITOUS's session plan."""
    planned = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(who))
    assert planned.status_code == 200, planned.text
    return planned.json()["items"]


async def add_trainer(people: People, clock: FrozenClock, name: str, cohort: int) -> None:
    """An account training ``cohort`` only, whose token ``people.auth(name)`` then uses."""
    from core.auth import service as auth
    from core.auth.roles import Role

    account = await auth.create_account(
        email=f"{name}@example.org",
        password="correct horse battery",
        display_name=name,
        role=Role.TRAINER,
        cohorts=(cohort,),
        known_sites=("paris", "bordeaux"),
    )
    _, people.tokens[name] = await auth.issue_api_token(account, "tests", clock)


async def attend(
    client: httpx.AsyncClient,
    people: People,
    sessions: list[dict[str, Any]],
    present: dict[int, int],
    who: str,
) -> None:
    """Sign each session's sheet: learner ``l`` present at the first ``present[l]`` sessions
    and absent at the others."""
    for index, session in enumerate(sessions):
        marks = [
            {"learner": learner, "status": "present", "signed": "sheet"}
            if index < count
            else {"learner": learner, "status": "absent"}
            for learner, count in present.items()
        ]
        response = await client.put(
            f"/api/v1/sessions/{session['id']}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=people.auth(who),
        )
        assert response.status_code == 200, response.text


def after(sessions: list[dict[str, Any]]) -> date:
    """The day after the last session."""
    return date.fromisoformat(sessions[-1]["day"]) + timedelta(days=1)


def move_clock_to(clock: FrozenClock, day: date) -> None:
    """The clock at 08:00 UTC on ``day`` (it only moves forward)."""
    target = clock.now().replace(year=day.year, month=day.month, day=day.day, hour=8, minute=0)
    assert target >= clock.now()
    clock.advance(target - clock.now())


async def bootcamp_applicant(
    client: httpx.AsyncClient, people: People, site: str = "paris", who: str = "paris_manager"
) -> tuple[int, int]:
    """A learner admitted to the bootcamp after passing DIGITOUS's placement test:
    ``(learner, application)``."""
    learner = await make_learner(client, people, who=who, site=site)
    created = await apply(
        client, people, learner, who=who, site=site, program="digitous", track="bootcamp"
    )
    [s4] = [f for f in created["findings"] if f["rule"] == "S4"]
    assert s4["ok"] is False
    await move(client, people, created["id"], "screening", who=who)
    await move(client, people, created["id"], "placement_test_pending", who=who)
    passed = await record_result(client, people, created["id"], passed=True, who=who)
    assert passed["application"]["eligible"] is True, passed
    await move(client, people, created["id"], "admitted", who=who)
    return learner, created["id"]


async def placement_applicant(
    client: httpx.AsyncClient, people: People, learner: int, site: str, who: str
) -> dict[str, Any]:
    """The learner's application to phase 2, screened and admitted."""
    created = await apply(
        client, people, learner, who=who, site=site, program="digitous", track="placement"
    )
    await move(client, people, created["id"], "screening", who=who)
    await move(client, people, created["id"], "admitted", who=who)
    return created


async def result(
    client: httpx.AsyncClient, people: People, enrolment: int, who: str, **body: Any
) -> httpx.Response:
    """Record a result on core's assessments of the enrolment."""
    return await client.post(
        f"/api/v1/enrolments/{enrolment}/assessments", json=body, headers=people.auth(who)
    )


async def decide(
    client: httpx.AsyncClient, people: People, enrolment: int, who: str = "paris_manager"
) -> dict[str, Any]:
    """Ask core for the completion decision."""
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion", headers=people.auth(who)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def placement_enrolment(
    client: httpx.AsyncClient,
    people: People,
    clock: FrozenClock,
    site: str = "paris",
    who: str = "paris_manager",
) -> dict[str, Any]:
    """An enrolment (``id``, ``learner``, ``cohort``) in a placement cohort starting in four
    weeks, for a learner whose bootcamp a site manager declared completed: the short way to
    phase 2."""
    learner, application = await bootcamp_applicant(client, people, site=site, who=who)
    today = clock.now().date()
    bootcamp = await new_cohort(client, people, "bootcamp", today, site=site, who=who)
    enrolment = (await enrol(client, people, bootcamp, application, who=who))["id"]
    refused = await decide(client, people, enrolment, who=who)
    assert refused["completed"] is False
    overridden = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion/override",
        json={"reason": "Parcours validé en commission pédagogique."},
        headers=people.auth(who),
    )
    assert overridden.status_code == 200, overridden.text
    monday = today + timedelta(days=28 - today.weekday())
    cohort = await new_cohort(client, people, "placement", monday, site=site, who=who)
    admitted = await placement_applicant(client, people, learner, site, who)
    return await enrol(client, people, cohort, admitted["id"], who=who)


def placement_body(starts_on: date, frame: str = "pmsmp", **changes: Any) -> dict[str, Any]:
    """A valid placement of ``frame`` from ``starts_on``; ``changes`` alter it."""
    own: dict[str, dict[str, Any]] = {
        "pmsmp": {"prescriber": "France Travail Paris 19", "ends_on": starts_on + timedelta(27)},
        "poei": {"hire_months": 6, "ends_on": starts_on + timedelta(27)},
        "work_study": {"contract": "apprenticeship", "ends_on": starts_on + timedelta(365)},
    }
    body = {
        "frame": frame,
        "company": "Coopérative Numérique du Nord-Est",
        "tutor_name": "Awa Diallo",
        "tutor_email": "awa.diallo@example.org",
        "starts_on": starts_on,
        "weekly_hours": 35,
        "objectives": "Corriger des anomalies et écrire des tests sur l'application interne.",
        **own[frame],
        **changes,
    }
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in body.items()}


async def create_placement(
    client: httpx.AsyncClient, people: People, enrolment: int, who: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{BASE}/{enrolment}/placement", json=body, headers=people.auth(who))


def signatories(*roles: str) -> list[dict[str, str]]:
    """One signatory per role."""
    return [{"role": role, "name": f"Signataire {role}"} for role in roles]
