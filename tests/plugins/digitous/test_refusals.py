"""Each DIGITOUS refusal with its reason, through the HTTP API: the phase 1 gate (T2), the
phase 2 frame, agreement and tutor's evaluations (T3, T4), and the rules of each legal frame
(T3), each naming its field."""

from __future__ import annotations

from datetime import date, timedelta

from plugins.digitous.curriculum import CHECKPOINTS
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
    placement_body,
    placement_enrolment,
    plan,
    result,
    signatories,
)

PMSMP_SIGNATORIES = signatories("learner", "company", "training_body", "prescriber")


async def test_t2_the_gate_names_the_checkpoint_the_project_or_the_attendance_missing(
    client, people, clock
):
    cohort = await new_cohort(client, people, "bootcamp", date(2026, 9, 7))
    await add_trainer(people, clock, "bootcamp_trainer", cohort)
    learners, enrolments = [], []
    for _ in range(3):
        learner, application = await bootcamp_applicant(client, people)
        learners.append(learner)
        enrolments.append((await enrol(client, people, cohort, application))["id"])
    sessions = await plan(client, people, cohort)
    move_clock_to(clock, after(sessions))
    checkpoint, project, attendance = learners
    present = {checkpoint: len(sessions), project: len(sessions), attendance: 40}
    await attend(client, people, sessions, present, "bootcamp_trainer")
    for enrolment in enrolments:
        for unit in CHECKPOINTS:
            grade = "approaching" if (enrolment, unit) == (enrolments[0], "sql") else "meets"
            await result(
                client, people, enrolment, "bootcamp_trainer", assessment=unit, value=grade
            )
        if enrolment != enrolments[1]:
            await result(
                client,
                people,
                enrolment,
                "bootcamp_trainer",
                assessment="project_repository",
                value="https://git.example.org/projet",
            )

    decisions = [await decide(client, people, enrolment) for enrolment in enrolments]
    assert [d["completed"] for d in decisions] == [False, False, False]
    assert all(d["next_offers"] == [] for d in decisions)
    failed = [[f for f in d["findings"] if not f["ok"]] for d in decisions]
    assert [[f["rule"] for f in found] for found in failed] == [["T2"], ["T2"], ["T2"]]
    assert failed[0][0]["reason"] == "Ces points d'étape ne sont pas encore validés : SQL."
    assert failed[1][0]["reason"] == "Votre projet final n'est pas encore présenté."
    assert failed[2][0]["reason"].startswith("Vous avez suivi ")
    assert failed[2][0]["reason"].endswith("Il faut au moins 80 %.")


async def test_t3_t4_phase_2_is_refused_until_the_agreement_and_both_evaluations(
    client, people, clock
):
    manager = people.auth("paris_manager")
    enrolled = await placement_enrolment(client, people, clock)
    enrolment = enrolled["id"]
    sessions = await plan(client, people, enrolled["cohort"])
    starts_on = date.fromisoformat(sessions[0]["day"])
    body = placement_body(starts_on)
    created = await create_placement(client, people, enrolment, "paris_manager", body)
    assert created.status_code == 201, created.text
    move_clock_to(clock, after(sessions))
    await attend(client, people, sessions, {enrolled["learner"]: len(sessions)}, "paris_manager")

    def failing(decision):
        return [(f["rule"], f["reason"]) for f in decision["findings"] if not f["ok"]]

    refused = await decide(client, people, enrolment)
    assert failing(refused) == [
        ("T3", "La convention signée avec l'entreprise manque."),
        ("T4", "Il manque l'évaluation du tuteur : à mi-parcours et finale."),
    ]
    early = await client.post(
        f"{BASE}/{enrolment}/placement/evaluations",
        json={"stage": "midterm", "grade": "meets", "evaluated_on": sessions[5]["day"]},
        headers=manager,
    )
    assert early.status_code == 409
    assert "agreement" in early.json()["detail"]
    signed = await client.post(
        f"{BASE}/{enrolment}/placement/agreement",
        json={
            "reference": "PMSMP-2026-0007",
            "signed_on": (starts_on - timedelta(days=3)).isoformat(),
            "signatories": PMSMP_SIGNATORIES,
        },
        headers=manager,
    )
    assert signed.status_code == 200, signed.text
    final_first = await client.post(
        f"{BASE}/{enrolment}/placement/evaluations",
        json={"stage": "final", "grade": "meets", "evaluated_on": sessions[-1]["day"]},
        headers=manager,
    )
    assert final_first.status_code == 409
    assert "mid-term" in final_first.json()["detail"]
    midterm = await client.post(
        f"{BASE}/{enrolment}/placement/evaluations",
        json={"stage": "midterm", "grade": "below", "evaluated_on": sessions[9]["day"]},
        headers=manager,
    )
    assert midterm.status_code == 201, midterm.text

    refused = await decide(client, people, enrolment)
    assert failing(refused) == [("T4", "Il manque l'évaluation du tuteur : finale.")]
    final = await client.post(
        f"{BASE}/{enrolment}/placement/evaluations",
        json={"stage": "final", "grade": "meets", "evaluated_on": sessions[-1]["day"]},
        headers=manager,
    )
    assert final.status_code == 201, final.text
    again = await client.post(
        f"{BASE}/{enrolment}/placement/evaluations",
        json={"stage": "final", "grade": "above", "evaluated_on": sessions[-1]["day"]},
        headers=manager,
    )
    assert again.status_code == 409
    assert (await decide(client, people, enrolment))["completed"] is True


async def test_t3_a_frame_the_site_does_not_sign_is_refused(client, people, clock):
    enrolment = (
        await placement_enrolment(client, people, clock, site="bordeaux", who="bordeaux_manager")
    )["id"]
    starts_on = clock.now().date() + timedelta(days=28)
    refused = await create_placement(
        client, people, enrolment, "bordeaux_manager", placement_body(starts_on, "pmsmp")
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "frame"
    assert "it signs: POEI, alternance" in refused.json()["detail"]
    accepted = await create_placement(
        client, people, enrolment, "bordeaux_manager", placement_body(starts_on, "poei")
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["hire_months"] == 6


async def test_t3_each_frame_s_rules_name_the_field_they_break(client, people, clock):
    enrolment = (await placement_enrolment(client, people, clock))["id"]
    start = date(2026, 10, 5)
    cases = [
        (placement_body(start, ends_on=start - timedelta(days=1)), "ends_on"),
        (placement_body(start, weekly_hours=0), "weekly_hours"),
        (placement_body(start, weekly_hours=48.5), "weekly_hours"),
        (placement_body(start, ends_on=date(2026, 11, 5)), "ends_on"),
        (placement_body(start, prescriber=""), "prescriber"),
        (placement_body(start, hire_months=6), "hire_months"),
        (placement_body(start, "poei", hire_months=5), "hire_months"),
        (placement_body(start, "poei", hire_months=None), "hire_months"),
        (placement_body(start, "poei", contract="apprenticeship"), "contract"),
        (placement_body(start, "work_study", contract=None), "contract"),
        (placement_body(start, "work_study", ends_on=date(2027, 4, 3)), "ends_on"),
    ]
    for body, field in cases:
        refused = await create_placement(client, people, enrolment, "paris_manager", body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["errors"][0]["field"] == field, (body, refused.text)
    manager = people.auth("paris_manager")
    assert (await client.get(f"{BASE}/{enrolment}/placement", headers=manager)).status_code == 404

    longest = placement_body(start, ends_on=date(2026, 11, 4))
    created = await create_placement(client, people, enrolment, "paris_manager", longest)
    assert created.status_code == 201, created.text
    twice = await create_placement(client, people, enrolment, "paris_manager", longest)
    assert twice.status_code == 409
    renewal = f"{BASE}/{enrolment}/placement/renewal"
    for ends_on, status, field in (
        ("2026-11-04", 422, "ends_on"),
        ("2026-12-05", 422, "ends_on"),
        ("2026-12-04", 200, None),
        ("2026-12-04", 409, "renewed_until"),
    ):
        renewed = await client.post(renewal, json={"ends_on": ends_on}, headers=manager)
        assert renewed.status_code == status, (ends_on, renewed.text)
        if field:
            assert renewed.json()["errors"][0]["field"] == field
    assert renewed.status_code == 409
    read = (await client.get(f"{BASE}/{enrolment}/placement", headers=manager)).json()
    assert (read["ends_on"], read["renewed_until"]) == ("2026-11-04", "2026-12-04")

    agreement = f"{BASE}/{enrolment}/placement/agreement"
    for body, field in (
        (
            {
                "reference": "A-1",
                "signed_on": "2026-09-01",
                "signatories": signatories("learner", "company", "training_body"),
            },
            "signatories",
        ),
        (
            {"reference": "A-1", "signed_on": "2026-09-02", "signatories": PMSMP_SIGNATORIES},
            "signed_on",
        ),
    ):
        refused = await client.post(agreement, json=body, headers=manager)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == field
        assert "prescriber" in refused.text or field == "signed_on"


async def test_a_poei_or_work_study_placement_is_not_renewed(client, people, clock):
    enrolment = (await placement_enrolment(client, people, clock))["id"]
    body = placement_body(date(2026, 10, 5), "work_study", contract="professionalisation")
    assert (
        await create_placement(client, people, enrolment, "paris_manager", body)
    ).status_code == 201
    renewed = await client.post(
        f"{BASE}/{enrolment}/placement/renewal",
        json={"ends_on": "2027-12-01"},
        headers=people.auth("paris_manager"),
    )
    assert renewed.status_code == 409
    assert renewed.json()["errors"][0]["field"] == "frame"
