"""Helpers for DIGISTART's API tests: a Paris cohort created and planned over the API with
its own trainer, learners taken from application to enrolment, attendance and results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from tests.applications import apply, make_learner, move, record_result
from tests.enrolment import enrol

if TYPE_CHECKING:
    from core.clock import FrozenClock
    from tests.conftest import People

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:00:00", "day_ends": "13:00:00"}
"""Two half-days a week, Monday and Thursday mornings: nine weeks are 18 sessions of 4 h."""
WEEK_KEYS = (
    "html_structure",
    "html_metadata",
    "css_framework",
    "html_sections",
    "css_selectors",
    "js_variables",
    "js_conditions",
    "js_arrays_objects",
    "js_loops_functions",
)


@dataclass(frozen=True)
class Cohort:
    """A planned DIGISTART cohort at Paris and the headers of its trainer."""

    id: int
    sessions: list[int]
    trainer: dict[str, str]


async def planned_cohort(client: httpx.AsyncClient, people: People, clock: FrozenClock) -> Cohort:
    """A DIGISTART cohort from Monday 5 October to Friday 4 December 2026, created and
    planned by the Paris manager, with a trainer account of its own."""
    from core.auth import service as auth
    from core.auth.roles import Role

    manager = people.auth("paris_manager")
    created = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "paris",
            "program": "digistart",
            "track": "web",
            "title": "DIGISTART Paris automne",
            "starts_on": "2026-10-05",
            "ends_on": "2026-12-04",
        },
        headers=manager,
    )
    assert created.status_code == 201, created.text
    cohort = created.json()["id"]
    changed = await client.patch(f"/api/v1/cohorts/{cohort}", json=RHYTHM, headers=manager)
    assert changed.status_code == 200, changed.text
    plan = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=manager)
    assert plan.status_code in (200, 201), plan.text
    sessions = [s["id"] for s in plan.json()["items"]]
    account = await auth.create_account(
        email="formatrice-digistart@example.org",
        password="correct horse battery",
        display_name="digistart_trainer",
        role=Role.TRAINER,
        cohorts=(cohort,),
        known_sites=("paris", "bordeaux"),
    )
    _, token = await auth.issue_api_token(account, "tests", clock)
    return Cohort(id=cohort, sessions=sessions, trainer={"Authorization": f"Bearer {token}"})


async def candidate(
    client: httpx.AsyncClient, people: People, cohort: Cohort, **learner: Any
) -> dict[str, Any]:
    """A learner (French A2 unless told) and their application to the cohort, screened."""
    learner_id = await make_learner(client, people, **({"french_level": "A2"} | learner))
    application = await apply(
        client, people, learner_id, program="digistart", track="web", cohort=cohort.id
    )
    await move(client, people, application["id"], "screening")
    return application


async def enrolled(
    client: httpx.AsyncClient, people: People, cohort: Cohort, **learner: Any
) -> dict[str, Any]:
    """A learner who passed the DIGISTART placement test, admitted and enrolled (S3)."""
    application = await candidate(client, people, cohort, **learner)
    await move(client, people, application["id"], "placement_test_pending")
    passed = await record_result(client, people, application["id"], passed=True, score=70)
    assert passed["application"]["eligible"] is True, passed
    await move(client, people, application["id"], "admitted")
    return await enrol(client, people, cohort.id, application["id"])


async def attend(
    client: httpx.AsyncClient, cohort: Cohort, present: dict[int, int], clock: FrozenClock
) -> None:
    """Once the cohort is over, each learner of ``present`` signed at that many sessions,
    the first ones, and was absent from the others."""
    clock.advance(timedelta(days=97))  # Monday 7 December 2026
    for number, session in enumerate(cohort.sessions, start=1):
        marks = [
            {"learner": learner, "status": "present", "signed": "sheet"}
            if number <= count
            else {"learner": learner, "status": "absent"}
            for learner, count in present.items()
        ]
        response = await client.put(
            f"/api/v1/sessions/{session}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=cohort.trainer,
        )
        assert response.status_code == 200, response.text


async def result(
    client: httpx.AsyncClient, headers: dict[str, str], enrolment: int, assessment: str, value: str
) -> dict[str, Any]:
    """Record one result on core's record, as the trainer does."""
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/assessments",
        json={"assessment": assessment, "value": value},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def website_url(enrolment: int) -> str:
    """The address of ``enrolment``'s website routes."""
    return f"/api/v1/programs/digistart/enrolments/{enrolment}/website"


async def submit(
    client: httpx.AsyncClient, headers: dict[str, str], enrolment: int, **body: Any
) -> httpx.Response:
    return await client.post(f"{website_url(enrolment)}/submissions", json=body, headers=headers)


async def review(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    enrolment: int,
    submission: int,
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"{website_url(enrolment)}/submissions/{submission}/reviews", json=body, headers=headers
    )


async def decide(client: httpx.AsyncClient, people: People, enrolment: int) -> dict[str, Any]:
    """The site manager asks for the completion decision."""
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    return response.json()
