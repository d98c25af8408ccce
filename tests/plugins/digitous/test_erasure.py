"""Acceptance (issue 9): a learner with applications, enrolments, attendance, assessments and
a DIGITOUS internship is erased; then none of their personal values is anywhere in the
database (every text, JSON and date column of every table, read from the schema), and the
funnel, learners and program reports are what they were."""

from __future__ import annotations

from datetime import timedelta

from plugins.digitous.curriculum import CHECKPOINTS
from tests.applications import apply, make_learner, move, record_result
from tests.enrolment import enrol
from tests.plugins.digitous.steps import (
    BASE,
    add_trainer,
    attend,
    create_placement,
    decide,
    move_clock_to,
    new_cohort,
    placement_applicant,
    placement_body,
    plan,
    result,
)
from tests.privacy import where_found

PERSON = {
    "first_name": "Ouzna",
    "last_name": "Belkacemi-Tanriverdi",
    "birth_date": "2001-03-14",
    "email": "ouzna.bt@example.org",
    "phone": "07 61 23 45 89",
    "notes": "Suivie par l'assistante sociale de Belleville",
}
INTERNSHIP = {
    "company": "Atelier Quetzalcoatl",
    "tutor_name": "Ferdinand Oyelaran",
    "tutor_email": "f.oyelaran@example.org",
    "objectives": "Migrer la facturation vers le nouveau cadriciel Zanzibar",
}
REVIEW = {
    "reviewer": "Theodora Vasquez-Lind",
    "repository": "https://git.example.org/ouzna-bt/portfolio",
    "commit": "9e1d7c4b",
    "grade": "meets",
    "comments": "Rendu soigne, Kilimandjaro bien teste",
}
PERSONAL_VALUES = [
    "Ouzna", "Belkacemi", "Tanriverdi", "ouzna.bt", "07 61 23", "0761234589", "2001-03-14",
    "Belleville", "Quetzalcoatl", "Oyelaran", "f.oyelaran", "Zanzibar", "Vasquez-Lind",
    "ouzna-bt/portfolio", "9e1d7c4b", "Kilimandjaro", "PMSMP-2026-7731", "Mbappe-Nkemelu",
    "Commission Okavango", "Hippocampe",
]  # fmt: skip
"""Every value typed about the person, as a scan would look for it (a birth date as text)."""


async def _reports(client, people) -> list[object]:
    reports = []
    for path in ("funnel", "learners", "programs/digitous"):
        response = await client.get(
            f"/api/v1/reports/{path}", params={"by": ["site"]}, headers=people.auth("admin")
        )
        assert response.status_code == 200, response.text
        reports.append(response.json())
    return reports


async def _the_learners_path(client, people, clock) -> int:
    """The bootcamp (placement test, attendance, checkpoints, a code review, a completion
    overridden), then a PMSMP internship with its signed agreement and an evaluation."""
    manager = people.auth("paris_manager")
    learner = await make_learner(client, people, **PERSON)
    created = await apply(client, people, learner, program="digitous", track="bootcamp")
    await move(client, people, created["id"], "screening", reason="Entretien avec Hippocampe")
    await move(client, people, created["id"], "placement_test_pending")
    await record_result(client, people, created["id"], passed=True)
    await move(client, people, created["id"], "admitted")
    today = clock.now().date()
    bootcamp = await new_cohort(client, people, "bootcamp", today)
    await add_trainer(people, clock, "bootcamp_trainer", bootcamp)
    enrolment = (await enrol(client, people, bootcamp, created["id"]))["id"]
    sessions = (await plan(client, people, bootcamp))[:3]
    clock.advance(timedelta(days=7))
    await attend(client, people, sessions, {learner: 2}, "bootcamp_trainer")
    for unit in CHECKPOINTS[:2]:
        graded = await result(
            client, people, enrolment, "bootcamp_trainer", assessment=unit, value="meets",
            comment="Ouzna aide ses voisins",
        )  # fmt: skip
        assert graded.status_code == 201, graded.text
    reviewed = await client.post(
        f"{BASE}/{enrolment}/code-reviews",
        json=REVIEW | {"reviewed_on": clock.now().date().isoformat()},
        headers=people.auth("bootcamp_trainer"),
    )
    assert reviewed.status_code == 201, reviewed.text
    assert (await decide(client, people, enrolment))["completed"] is False
    overridden = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion/override",
        json={"reason": "Validé par la Commission Okavango"},
        headers=manager,
    )
    assert overridden.status_code == 200, overridden.text

    monday = today + timedelta(days=28 - today.weekday())
    cohort = await new_cohort(client, people, "placement", monday)
    admitted = await placement_applicant(client, people, learner, "paris", "paris_manager")
    second = (await enrol(client, people, cohort, admitted["id"]))["id"]
    body = placement_body(monday, "pmsmp") | INTERNSHIP
    placed = await create_placement(client, people, second, "paris_manager", body)
    assert placed.status_code == 201, placed.text
    signed = await client.post(
        f"{BASE}/{second}/placement/agreement",
        json={
            "reference": "PMSMP-2026-7731",
            "signed_on": clock.now().date().isoformat(),
            "signatories": [
                {"role": "learner", "name": "Ouzna Belkacemi-Tanriverdi"},
                {"role": "company", "name": "Ferdinand Oyelaran"},
                {"role": "training_body", "name": "Mbappe-Nkemelu"},
                {"role": "prescriber", "name": "France Travail"},
            ],
        },
        headers=manager,
    )
    assert signed.status_code == 200, signed.text
    midterm = monday + timedelta(days=11)
    move_clock_to(clock, midterm)
    evaluated = await client.post(
        f"{BASE}/{second}/placement/evaluations",
        json={
            "stage": "midterm",
            "grade": "approaching",
            "evaluated_on": midterm.isoformat(),
            "comments": "Ouzna doit gagner en autonomie",
        },
        headers=manager,
    )
    assert evaluated.status_code == 201, evaluated.text
    await decide(client, people, second)
    return learner


async def test_an_erased_learner_leaves_no_personal_value_and_the_reports_unchanged(
    client, people, clock
):
    learner = await _the_learners_path(client, people, clock)
    found = await where_found(PERSONAL_VALUES)
    assert set(found) == set(PERSONAL_VALUES), "the scan must see every value before"
    before = await _reports(client, people)

    erased = await client.post(
        f"/api/v1/learners/{learner}/erase",
        json={"reason": "request", "confirm": True},
        headers=people.auth("admin"),
    )
    assert erased.status_code == 201, erased.text

    assert await where_found(PERSONAL_VALUES) == {}
    assert await _reports(client, people) == before
