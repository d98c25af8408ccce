"""Helpers for the enrolment tests: admitted applications and enrolment requests over the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from tests.applications import apply, make_learner, move

if TYPE_CHECKING:
    from tests.conftest import People


async def admitted(
    client: httpx.AsyncClient,
    people: People,
    who: str = "paris_manager",
    site: str = "paris",
    **learner: Any,
) -> int:
    """An application to the toy program's initiation track at ``site``, admitted."""
    learner_id = await make_learner(client, people, who=who, site=site, **learner)
    application = (await apply(client, people, learner_id, who=who, site=site))["id"]
    await move(client, people, application, "screening", who=who)
    await move(client, people, application, "admitted", who=who)
    return application


async def enrol(
    client: httpx.AsyncClient,
    people: People,
    cohort: int,
    application: int,
    who: str = "paris_manager",
    expect: int = 201,
) -> dict[str, Any]:
    """Ask to enrol ``application`` into ``cohort`` and check the answer's status code."""
    response = await client.post(
        f"/api/v1/cohorts/{cohort}/enrolments",
        json={"application_id": application},
        headers=people.auth(who),
    )
    assert response.status_code == expect, response.text
    return response.json()


async def roster(
    client: httpx.AsyncClient, people: People, cohort: int, who: str = "paris_manager"
) -> dict[str, Any]:
    response = await client.get(f"/api/v1/cohorts/{cohort}/roster", headers=people.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def small_cohort(people: People, capacity: int, site: str = "paris") -> int:
    """A cohort of the toy program's initiation track with ``capacity`` places."""
    from datetime import date

    from core.cohorts.tables import Cohort

    rows = await Cohort.insert(
        Cohort(
            site=site,
            program="atelier",
            track="initiation",
            title=f"Petit groupe {site}",
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 11, 5),
            capacity=capacity,
        )
    ).returning(Cohort.id)
    return int(rows[0]["id"])


def served_app() -> Any:
    """The app for a uvicorn subprocess: settings from ``ESSAIM_*``, the toy program only.

    The toy program is no entry point, so that ``essaim serve`` could not load it: uvicorn
    runs this factory instead (``--factory``), in each of its worker processes.
    """
    from core.app import create_app
    from core.plugins import load_plugins
    from core.settings import Settings
    from tests.toy_program import AtelierPlugin

    host = load_plugins(load_entrypoints=False, plugins=[("atelier", AtelierPlugin())])
    return create_app(Settings.from_env(), host=host)
