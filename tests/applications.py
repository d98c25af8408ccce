"""Helpers for the applications tests: learners, applications and status changes over the API,
and a variant of the toy program that asks a placement test for its second track."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import httpx

from core.plugin import AdmissionStep, EligibilityFacts, Finding, hookimpl
from tests.toy_program import Atelier, AtelierPlugin

if TYPE_CHECKING:
    from tests.conftest import People

ADULT = "1990-05-17"
_names = itertools.count(1)


class PlacedAtelier(Atelier):
    """The toy program, whose ``approfondissement`` also opens to a passed placement test."""

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        if track == "approfondissement":
            return (AdmissionStep(key="placement_approfondissement", title="Test d'entrée"),)
        return ()

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        if (
            facts.track == "approfondissement"
            and ("atelier", "approfondissement") in facts.passed_placements
        ):
            return [Finding(rule="ATL1", ok=True, reason="Test d'entrée réussi.")]
        return super().eligibility(facts)


class PlacedAtelierPlugin(AtelierPlugin):
    """Registers ``PlacedAtelier`` under the toy's key, so that the test sites run it."""

    @hookimpl
    def essaim_register_programs(self) -> list[Atelier]:
        return [PlacedAtelier()]


async def make_learner(
    client: httpx.AsyncClient, people: People, who: str = "paris_manager", **fields: Any
) -> int:
    """A learner recorded over the API, adult and French B1 unless told otherwise."""
    n = next(_names)
    body = {
        "site": "paris",
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "gender": "female",
        "birth_date": ADULT,
        "french_level": "B1",
    } | fields
    response = await client.post("/api/v1/learners", json=body, headers=people.auth(who))
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def apply(
    client: httpx.AsyncClient,
    people: People,
    learner_id: int,
    who: str = "paris_manager",
    expect: int = 201,
    **fields: Any,
) -> dict[str, Any]:
    """An application to the toy program at Paris; ``fields`` change the body."""
    body = {"learner": learner_id, "site": "paris", "program": "atelier", "track": "initiation"}
    response = await client.post(
        "/api/v1/applications", json=body | fields, headers=people.auth(who)
    )
    assert response.status_code == expect, response.text
    return response.json()


async def move(
    client: httpx.AsyncClient,
    people: People,
    application: int,
    to: str,
    reason: str = "",
    who: str = "paris_manager",
    expect: int = 201,
    **fields: Any,
) -> dict[str, Any]:
    """Ask for a status change and check the answer's status code."""
    response = await client.post(
        f"/api/v1/applications/{application}/transitions",
        json={"to": to, "reason": reason} | fields,
        headers=people.auth(who),
    )
    assert response.status_code == expect, response.text
    return response.json()


async def record_result(
    client: httpx.AsyncClient,
    people: People,
    application: int,
    passed: bool = True,
    who: str = "paris_manager",
    expect: int = 201,
    **fields: Any,
) -> dict[str, Any]:
    """Record a placement result and check the answer's status code."""
    response = await client.post(
        f"/api/v1/applications/{application}/placement-results",
        json={"passed": passed} | fields,
        headers=people.auth(who),
    )
    assert response.status_code == expect, response.text
    return response.json()


async def history(
    client: httpx.AsyncClient, people: People, application: int, who: str = "paris_manager"
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/applications/{application}/history", headers=people.auth(who)
    )
    assert response.status_code == 200, response.text
    return response.json()
