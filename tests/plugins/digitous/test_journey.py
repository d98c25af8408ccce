"""One DIGITOUS learner from application to the completion attestation of both phases,
through the HTTP API only (RULES.md T1 to T4).

Phase 1: applies to the bootcamp, passes the placement test, is admitted and enrolled; the
cohort is planned, attended, its checkpoints graded and a code review recorded by the
cohort's trainer, the final project presented; completion opens phase 2. Phase 2: applies
to the placement track (eligible thanks to phase 1), is enrolled in a placement cohort; the
site manager creates the PMSMP, records the signed agreement and the tutor's evaluations;
completion numbers the second attestation.
"""

from __future__ import annotations

from datetime import date, timedelta

from plugins.digitous.curriculum import CHECKPOINTS
from tests.documents import rendered_text
from tests.enrolment import enrol
from tests.plugins.digitous.steps import (
    BASE,
    add_trainer,
    after,
    attend,
    bootcamp_applicant,
    create_placement,
    decide,
    move_clock_to,
    new_cohort,
    placement_applicant,
    placement_body,
    plan,
    result,
    signatories,
)
from tests.plugins.indicators import program_totals

BOOTCAMP_START = date(2026, 9, 7)


async def test_a_learner_goes_through_the_bootcamp_and_a_placement_to_two_attestations(
    client, people, clock, tmp_path
):
    manager = people.auth("paris_manager")

    # Phase 1: the bootcamp.
    learner, application = await bootcamp_applicant(client, people)
    bootcamp = await new_cohort(client, people, "bootcamp", BOOTCAMP_START)
    await add_trainer(people, clock, "bootcamp_trainer", bootcamp)
    enrolment = (await enrol(client, people, bootcamp, application))["id"]
    sessions = await plan(client, people, bootcamp)
    assert len(sessions) == 57

    move_clock_to(clock, after(sessions))
    await attend(client, people, sessions, {learner: len(sessions)}, "bootcamp_trainer")
    review = await client.post(
        f"{BASE}/{enrolment}/code-reviews",
        json={
            "reviewer": "Karim, développeur bénévole",
            "repository": "https://git.example.org/promo/projet-final",
            "commit": "3f9c2ab",
            "reviewed_on": "2026-11-20",
            "grade": "above",
            "comments": "Code clair, tests à compléter.",
        },
        headers=people.auth("bootcamp_trainer"),
    )
    assert review.status_code == 201, review.text
    assert (review.json()["grade"], review.json()["passed"]) == ("above", True)
    for unit in CHECKPOINTS:
        graded = await result(
            client, people, enrolment, "bootcamp_trainer", assessment=unit, value="meets"
        )
        assert graded.status_code == 201, graded.text
    presented = await result(
        client,
        people,
        enrolment,
        "bootcamp_trainer",
        assessment="project_repository",
        value="https://git.example.org/promo/projet-final",
    )
    assert presented.status_code == 201, presented.text

    first = await decide(client, people, enrolment)
    assert first["completed"] is True, first["findings"]
    assert first["facts"]["scheduled_hours"] == first["facts"]["attended_hours"] == 420
    assert [f["rule"] for f in first["findings"]] == ["T2", "T2", "T2"]
    assert first["next_offers"] == [{"program": "digitous", "track": "placement"}]
    assert first["attestation_number"] == f"PARIS-{first['completed_on'][:4]}-0001"

    # Phase 2: in a company.
    placement_start = after(sessions) + timedelta(days=7 - after(sessions).weekday())
    cohort = await new_cohort(client, people, "placement", placement_start)
    admitted = await placement_applicant(client, people, learner, "paris", "paris_manager")
    [t2] = [f for f in admitted["findings"] if f["rule"] == "T2"]
    assert t2["ok"] is True
    second = (await enrol(client, people, cohort, admitted["id"]))["id"]
    placement_sessions = await plan(client, people, cohort)
    assert len(placement_sessions) == 19

    body = placement_body(placement_start, "pmsmp")
    created = await create_placement(client, people, second, "paris_manager", body)
    assert created.status_code == 201, created.text
    assert created.json()["agreement"] is None
    today = clock.now().date().isoformat()
    signed = await client.post(
        f"{BASE}/{second}/placement/agreement",
        json={
            "reference": "PMSMP-2026-0042",
            "signed_on": today,
            "signatories": signatories("learner", "company", "training_body", "prescriber"),
        },
        headers=manager,
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["agreement"]["reference"] == "PMSMP-2026-0042"

    move_clock_to(clock, after(placement_sessions))
    await attend(client, people, placement_sessions, {learner: 19}, "paris_manager")
    for stage, day, grade in (
        ("midterm", placement_sessions[9]["day"], "approaching"),
        ("final", placement_sessions[-1]["day"], "meets"),
    ):
        evaluated = await client.post(
            f"{BASE}/{second}/placement/evaluations",
            json={"stage": stage, "grade": grade, "evaluated_on": day, "comments": "Progrès."},
            headers=manager,
        )
        assert evaluated.status_code == 201, evaluated.text

    read = await client.get(f"{BASE}/{second}/placement", headers=manager)
    assert read.status_code == 200, read.text
    assert [(e["stage"], e["grade"]) for e in read.json()["evaluations"]] == [
        ("midterm", "approaching"),
        ("final", "meets"),
    ]
    sheet = await client.get(f"/api/v1/enrolments/{second}/assessments", headers=manager)
    latest = {i["key"]: (i["latest"] or {}).get("value") for i in sheet.json()["items"]}
    assert latest == {
        "legal_frame": "pmsmp",
        "agreement": "PMSMP-2026-0042",
        "midterm_evaluation": "approaching",
        "final_evaluation": "meets",
    }

    done = await decide(client, people, second)
    assert done["completed"] is True, done["findings"]
    assert [f["rule"] for f in done["findings"]] == ["T4", "T3", "T3", "T4"]
    assert done["next_offers"] == []
    number = done["attestation_number"]
    assert number.startswith("PARIS-") and number != first["attestation_number"]

    pdf = await client.get(f"/api/v1/enrolments/{second}/attestation.pdf", headers=manager)
    assert pdf.status_code == 200
    text = rendered_text(tmp_path, pdf.content)
    assert number in text
    assert "DIGITOUS" in text

    # DIGITOUS's own indicators: the bootcamp's learner completed and was placed.
    assert await program_totals(client, people, "digitous") == {
        "entered": "1",
        "completed": "1",
        "placed": "1",
        "placement_rate": "100 %",
    }
