"""Who may do what on DIGITOUS's routes: site managers write placements, the cohort's
trainers record code reviews and checkpoints, the central team gets 403, another site or
cohort 404; every write is audited with ids and code words only; the personal columns
are declared to core."""

from __future__ import annotations

from datetime import date, timedelta

from core.plugins import load_plugins
from plugins.digitous.tables import CodeReview, Placement, TutorEvaluation
from tests.enrolment import enrol
from tests.plugins.digitous.steps import (
    BASE,
    add_trainer,
    bootcamp_applicant,
    create_placement,
    new_cohort,
    placement_body,
    placement_enrolment,
    result,
    signatories,
)

REVIEW = {
    "reviewer": "Karim, développeur bénévole",
    "repository": "https://git.example.org/promo/todo",
    "commit": "a1b2c3d4e5",
    "reviewed_on": "2026-09-01",
    "grade": "approaching",
    "comments": "Nommer les fonctions par ce qu'elles font.",
}


async def test_trainers_of_the_cohort_record_code_reviews_and_checkpoints(client, people, clock):
    _, application = await bootcamp_applicant(client, people)
    cohort = await new_cohort(client, people, "bootcamp", date(2026, 9, 7))
    await add_trainer(people, clock, "bootcamp_trainer", cohort)
    enrolment = (await enrol(client, people, cohort, application))["id"]
    url = f"{BASE}/{enrolment}/code-reviews"

    recorded = await client.post(url, json=REVIEW, headers=people.auth("bootcamp_trainer"))
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["grade"], recorded.json()["passed"]) == ("approaching", False)
    checkpoint = await result(
        client, people, enrolment, "bootcamp_trainer", assessment="javascript", value="above"
    )
    assert checkpoint.status_code == 201, checkpoint.text
    listed = await client.get(url, headers=people.auth("bootcamp_trainer"))
    assert [r["commit"] for r in listed.json()["items"]] == ["a1b2c3d4e5"]

    for who, status in (("paris_trainer", 404), ("bordeaux_manager", 404), ("central", 403)):
        assert (await client.post(url, json=REVIEW, headers=people.auth(who))).status_code == status
        assert (await client.get(url, headers=people.auth(who))).status_code == status

    bad_commit = await client.post(
        url, json=REVIEW | {"commit": "main"}, headers=people.auth("paris_manager")
    )
    assert bad_commit.status_code == 400 and "commit" in bad_commit.text
    ahead = await client.post(
        url, json=REVIEW | {"reviewed_on": "2026-09-02"}, headers=people.auth("paris_manager")
    )
    assert ahead.status_code == 422
    assert ahead.json()["errors"][0]["field"] == "reviewed_on"
    no_placement = await create_placement(
        client, people, enrolment, "paris_manager", placement_body(date(2026, 10, 5))
    )
    assert no_placement.status_code == 409
    assert len((await client.get(url, headers=people.auth("paris_manager"))).json()["items"]) == 1


async def test_site_managers_write_placements_trainers_read_them_and_writes_are_audited(
    client, people, clock
):
    enrolled = await placement_enrolment(client, people, clock)
    enrolment = enrolled["id"]
    await add_trainer(people, clock, "placement_trainer", enrolled["cohort"])
    url = f"{BASE}/{enrolment}/placement"
    starts_on = clock.now().date() + timedelta(days=28)
    body = placement_body(starts_on)

    for who, status in (("placement_trainer", 403), ("central", 403), ("bordeaux_manager", 404)):
        assert (await create_placement(client, people, enrolment, who, body)).status_code == status
    assert (await create_placement(client, people, enrolment, "admin", body)).status_code == 201
    signed = await client.post(
        f"{url}/agreement",
        json={
            "reference": "PMSMP-2026-0099",
            "signed_on": clock.now().date().isoformat(),
            "signatories": signatories("learner", "company", "training_body", "prescriber"),
        },
        headers=people.auth("placement_trainer"),
    )
    assert signed.status_code == 403

    for who, status in (
        ("placement_trainer", 200),
        ("paris_manager", 200),
        ("paris_trainer", 404),
        ("bordeaux_manager", 404),
        ("central", 403),
    ):
        assert (await client.get(url, headers=people.auth(who))).status_code == status
    read = (await client.get(url, headers=people.auth("placement_trainer"))).json()
    assert (read["frame"], read["tutor_name"], read["prescriber"]) == (
        "pmsmp",
        "Awa Diallo",
        "France Travail Paris 19",
    )
    review = await client.post(
        f"{BASE}/{enrolment}/code-reviews", json=REVIEW, headers=people.auth("placement_trainer")
    )
    assert review.status_code == 409

    audit = await client.get(
        "/api/v1/audit",
        params={"target_type": "enrolment", "target_id": enrolment},
        headers=people.auth("admin"),
    )
    assert audit.status_code == 200, audit.text
    entries = {e["action"]: e["details"] for e in audit.json()["items"]}
    assert entries["digitous.placement_created"] == {"placement": read["id"], "frame": "pmsmp"}
    assert entries["assessment.recorded"]["assessment"] == "legal_frame"
    assert "Awa" not in audit.text and "France Travail" not in audit.text


def test_essaim_personal_data_declares_existing_columns_that_lead_to_the_learner() -> None:
    declared = {
        (column.table, column.column, column.learner)
        for plugin, column in load_plugins().personal_data()
        if plugin == "digitous"
    }
    tables = {t._meta.tablename: t for t in (CodeReview, Placement, TutorEvaluation)}
    for table, column, learner in declared:
        names = {c._meta.name for c in tables[table]._meta.columns}
        assert {column, learner} <= names
    assert {(t, c) for t, c, _ in declared} >= {
        ("digitous_placement", "tutor_name"),
        ("digitous_placement", "tutor_email"),
        ("digitous_placement", "objectives"),
        ("digitous_placement", "signatories"),
        ("digitous_tutor_evaluation", "comments"),
        ("digitous_code_review", "comments"),
    }
