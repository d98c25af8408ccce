"""DIGITAL's own indicators and the funnel's ``certified``, counted by hand.

A beginner cohort of six: A to E attend, F never comes. A, B, C, D and F sit an ICDL module
test; A, B, C and F are issued a certificate. DIGITAL's indicators count the five who entered:
4 candidates, 3 certified, a pass rate of 75 %. The funnel counts applications: 4 certified
(F's too, who never entered). The same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.plugins.digital.helpers import (
    after_the_sessions,
    attend,
    digital_cohort,
    enrolled,
    plan,
    trainer_of,
)
from tests.plugins.indicators import program_totals

SAT = "ABCDF"
CERTIFIED = "ABCF"


@pytest.fixture
async def cohort_of_six(client, people, clock):
    cohort = await digital_cohort(client, people)
    enrolments = {name: await enrolled(client, people, cohort) for name in "ABCDEF"}
    sessions = await plan(client, people, cohort)
    trainer = await trainer_of(cohort, clock)
    after_the_sessions(clock)
    await attend(
        client,
        trainer,
        sessions,
        {e["learner"]: (0 if name == "F" else len(sessions)) for name, e in enrolments.items()},
    )
    manager = people.auth("paris_manager")
    for n, name in enumerate(SAT):
        url = f"/api/v1/programs/digital/enrolments/{enrolments[name]['id']}"
        attempt = await client.post(
            f"{url}/icdl-attempts",
            json={
                "module": "computer_essentials",
                "syllabus": "6.0",
                "taken_on": "2026-11-16",
                "test_centre": "Centre agréé PCIE Paris 19",
                "score": 90 if name in CERTIFIED else 50,
            },
            headers=manager,
        )
        assert attempt.status_code == 201, attempt.text
        if name in CERTIFIED:
            certificate = await client.post(
                f"{url}/certificates",
                json={"level": "base", "number": f"FR-2026-00{n}", "issued_on": "2026-11-16"},
                headers=manager,
            )
            assert certificate.status_code == 201, certificate.text
    return enrolments


async def test_an_admin_sees_candidates_certified_and_the_pass_rate(client, people, cohort_of_six):
    assert await program_totals(client, people, "digital") == {
        "entered": "5",
        "completed": "0",
        "candidates": "4",
        "certified": "3",
        "certification_pass_rate": "75 %",
    }


async def test_the_funnel_counts_every_certified_application(client, people, cohort_of_six):
    response = await client.get(
        "/api/v1/reports/funnel",
        params={"by": ["program"]},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 200, response.text
    [row] = response.json()["rows"]
    assert row["group"] == {"program": "digital"}
    assert row["counts"]["enrolled"]["value"] == 6
    assert row["counts"]["certified"]["value"] == 4


async def test_the_central_team_and_funders_get_small_counts_hidden(client, people, cohort_of_six):
    central = await program_totals(client, people, "digital", who="central")
    assert central == {
        "entered": "5",
        "completed": "0",
        "candidates": "<5",
        "certified": "<5",
        "certification_pass_rate": "-",
    }
    export = await client.get(
        "/api/v1/reports/programs/digital/export.xlsx", headers=people.auth("admin")
    )
    assert export.status_code == 200, export.text
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook["Personnes certifiées"]["B2"].value == "<5"
    assert workbook["Personnes entrées en formation"]["B2"].value == 5
    definitions = [row[0].value for row in workbook["Définitions"].iter_rows(min_row=2)]
    assert "Taux de réussite à la certification" in definitions


async def test_a_program_without_indicators_or_out_of_reach_is_refused(client, people):
    unknown = await client.get("/api/v1/reports/programs/atelier", headers=people.auth("admin"))
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "program"
    trainer = await client.get(
        "/api/v1/reports/programs/digital", headers=people.auth("paris_trainer")
    )
    assert trainer.status_code == 403
    other = await client.get(
        "/api/v1/reports/programs/digital",
        params={"site": "paris"},
        headers=people.auth("bordeaux_manager"),
    )
    assert other.status_code == 404
