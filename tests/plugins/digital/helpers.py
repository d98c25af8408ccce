"""Helpers for DIGITAL's API tests: a DIGITAL cohort created and planned through the API,
its own trainer, learners admitted and enrolled, attendance and results recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from core.clock import FrozenClock
from tests.applications import apply, make_learner, move
from tests.conftest import PASSWORD
from tests.enrolment import enrol

if TYPE_CHECKING:
    from tests.conftest import People

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
"""Mondays and Thursdays, two hours: DIGITAL's usual two sessions a week."""


async def digital_cohort(
    client: httpx.AsyncClient,
    people: People,
    track: str = "beginner",
    site: str = "paris",
    who: str = "paris_manager",
) -> int:
    """A DIGITAL cohort created through the API, starting Monday 5 October 2026."""
    response = await client.post(
        "/api/v1/cohorts",
        json={
            "site": site,
            "program": "digital",
            "track": track,
            "title": f"DIGITAL {track} {site}",
            "starts_on": "2026-10-05",
            "ends_on": "2026-11-13",
        },
        headers=people.auth(who),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def plan(
    client: httpx.AsyncClient, people: People, cohort: int, who: str = "paris_manager"
) -> list[dict[str, Any]]:
    """Set the cohort's rhythm and plan its sessions; the planned sessions."""
    response = await client.patch(
        f"/api/v1/cohorts/{cohort}", json=RHYTHM, headers=people.auth(who)
    )
    assert response.status_code == 200, response.text
    response = await client.post(
        f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(who)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def trainer_of(
    cohort: int, clock: FrozenClock, name: str = "digital_trainer"
) -> dict[str, str]:
    """Headers of a new trainer account that trains ``cohort``."""
    from core.auth import service as auth
    from core.auth.roles import Role

    account = await auth.create_account(
        email=f"{name}{cohort}@example.org",
        password=PASSWORD,
        display_name=name,
        role=Role.TRAINER,
        sites=(),
        cohorts=(cohort,),
        known_sites=("paris", "bordeaux"),
    )
    _, token = await auth.issue_api_token(account, "tests", clock)
    return {"Authorization": f"Bearer {token}"}


async def enrolled(
    client: httpx.AsyncClient,
    people: People,
    cohort: int,
    track: str = "beginner",
    site: str = "paris",
    who: str = "paris_manager",
) -> dict[str, Any]:
    """A learner (French B1) applied to DIGITAL ``track``, admitted and enrolled in ``cohort``."""
    learner = await make_learner(client, people, who=who, site=site)
    application = await apply(
        client, people, learner, who=who, site=site, program="digital", track=track
    )
    await move(client, people, application["id"], "screening", who=who)
    await move(client, people, application["id"], "admitted", who=who)
    return await enrol(client, people, cohort, application["id"], who=who)


async def attend(
    client: httpx.AsyncClient,
    trainer: dict[str, str],
    sessions: list[dict[str, Any]],
    learners: dict[int, int],
) -> None:
    """Each learner present at the first ``learners[learner]`` sessions, absent after."""
    for index, session in enumerate(sessions):
        marks = [
            {"learner": learner, "status": "present", "signed": "sheet"}
            if index < count
            else {"learner": learner, "status": "absent"}
            for learner, count in learners.items()
        ]
        response = await client.put(
            f"/api/v1/sessions/{session['id']}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=trainer,
        )
        assert response.status_code == 200, response.text


def after_the_sessions(clock: FrozenClock) -> None:
    """Move the clock to Monday 16 November 2026, after every session of the cohort."""
    clock.advance(timedelta(days=76))


async def result(
    client: httpx.AsyncClient, headers: dict[str, str], enrolment: int, assessment: str, value: str
) -> dict[str, Any]:
    """Record one assessment result on core's record."""
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/assessments",
        json={"assessment": assessment, "value": value},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def decide(client: httpx.AsyncClient, people: People, enrolment: int) -> dict[str, Any]:
    """Ask for the completion decision as the Paris manager."""
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    return response.json()
