"""One DIGISTART learner from application to completion attestation, through the HTTP API,
and each rule that refuses completion (S2, S3, S4) with its reason and figures."""

from __future__ import annotations

import pytest

from tests.applications import apply, move
from tests.documents import rendered_text
from tests.plugins.digistart.journey import (
    WEEK_KEYS,
    attend,
    candidate,
    decide,
    enrolled,
    planned_cohort,
    result,
    review,
    submit,
    website_url,
)
from tests.plugins.indicators import program_totals


@pytest.fixture
async def cohort(client, people, clock):
    return await planned_cohort(client, people, clock)


async def test_a_learner_goes_from_application_to_attestation_and_is_offered_digitous(
    client, people, clock, cohort, tmp_path
):
    assert len(cohort.sessions) == 18
    enrolment = await enrolled(client, people, cohort)
    learner, trainer = enrolment["learner"], cohort.trainer
    await attend(client, cohort, {learner: 16}, clock)
    for week in WEEK_KEYS:
        await result(client, trainer, enrolment["id"], week, "done")

    first = await submit(
        client,
        trainer,
        enrolment["id"],
        address="https://github.com/apprenant/mon-site",
        kind="repository",
        submitted_on="2026-12-03",
    )
    assert first.status_code == 201, first.text
    asked = await review(
        client,
        trainer,
        enrolment["id"],
        first.json()["id"],
        decision="changes_requested",
        comment="Ajoute une page de contact.",
    )
    assert asked.status_code == 201, asked.text
    second = await submit(
        client, trainer, enrolment["id"], address="https://apprenant.github.io/mon-site/"
    )
    assert second.status_code == 201, second.text
    accepted = await review(
        client, trainer, enrolment["id"], second.json()["id"], decision="accepted"
    )
    assert accepted.status_code == 201, accepted.text
    await result(client, trainer, enrolment["id"], "final_exercise", "validated")

    website = (await client.get(website_url(enrolment["id"]), headers=trainer)).json()
    assert website["status"] == "accepted"
    assert [(s["kind"], [r["decision"] for r in s["reviews"]]) for s in website["submissions"]] == [
        ("repository", ["changes_requested"]),
        ("url", ["accepted"]),
    ]

    decision = await decide(client, people, enrolment["id"])
    assert decision["completed"] is True, decision
    assert [(f["rule"], f["ok"]) for f in decision["findings"]] == [
        ("S4", True),
        ("S2", True),
        ("S4", True),
        ("S4", True),
    ]
    assert "64 h sur 72 h (88 %)" in decision["findings"][0]["reason"]
    assert decision["facts"]["results"]["website_review"] == "accepted"
    assert decision["facts"]["deliverables"] == ["website"]
    assert decision["attestation_number"] == "PARIS-2026-0001"
    assert decision["next_offers"] == [{"program": "digitous", "track": "bootcamp"}]

    pdf = await client.get(
        f"/api/v1/enrolments/{enrolment['id']}/attestation.pdf",
        headers=people.auth("paris_manager"),
    )
    assert pdf.status_code == 200, pdf.text
    text = rendered_text(tmp_path, pdf.content)
    assert "PARIS-2026-0001" in text
    assert "DIGISTART" in text

    digitous = await apply(client, people, learner, program="digitous", track="bootcamp")
    opened = [f for f in digitous["findings"] if "DIGISTART" in f["reason"]]
    assert opened and all(f["ok"] for f in opened), digitous["findings"]

    # DIGISTART's own indicators count the delivered website; the central team sees "<5".
    assert await program_totals(client, people, "digistart") == {
        "entered": "1",
        "completed": "1",
        "websites_submitted": "1",
        "websites_delivered": "1",
        "website_delivery_rate": "100 %",
    }
    central = await program_totals(client, people, "digistart", who="central")
    assert central["websites_delivered"] == "<5"
    assert central["website_delivery_rate"] == "-"


async def test_s3_refuses_admission_below_a2_or_without_the_placement_test(client, people, cohort):
    below = await candidate(client, people, cohort, french_level="A1")
    refused = await move(client, people, below["id"], "admitted", expect=409)
    reasons = [f["reason"] for f in refused["findings"] if not f["ok"]]
    assert any("A1" in r and "A2 ou plus" in r for r in reasons), refused["findings"]

    untested = await candidate(client, people, cohort)
    refused = await move(client, people, untested["id"], "admitted", expect=409)
    [finding] = [f for f in refused["findings"] if not f["ok"]]
    assert finding["rule"] == "S3"
    assert "test de positionnement" in finding["reason"]


def failed(decision: dict) -> list[tuple[str, str]]:
    return [(f["rule"], f["reason"]) for f in decision["findings"] if not f["ok"]]


async def test_each_completion_rule_refuses_with_its_reason_and_figures(
    client, people, clock, cohort
):
    absent = await enrolled(client, people, cohort)
    steady = await enrolled(client, people, cohort)
    await attend(client, cohort, {absent["learner"]: 14, steady["learner"]: 18}, clock)
    trainer = cohort.trainer

    refusal = await decide(client, people, steady["id"])
    assert refusal["completed"] is False
    assert refusal["attestation_number"] is None
    assert refusal["next_offers"] == []
    assert failed(refusal) == [
        (
            "S2",
            "Vous avez fait les exercices de 0 semaine sur 9. Il en faut au moins 9. "
            "Semaines à faire : 1, 2, 3, 4, 5, 6, 7, 8, 9.",
        ),
        ("S4", "Votre site web n'est pas encore rendu (son adresse ou son dépôt)."),
        ("S4", "Le formateur n'a pas encore validé votre exercice final."),
    ]

    for week in WEEK_KEYS:
        if week != "html_sections":
            await result(client, trainer, steady["id"], week, "done")
    await result(client, trainer, steady["id"], "html_sections", "not_done")
    submitted = await submit(client, trainer, steady["id"], address="https://exemple.org/site")
    await result(client, trainer, steady["id"], "final_exercise", "not_validated")
    refusal = await decide(client, people, steady["id"])
    assert failed(refusal) == [
        (
            "S2",
            "Vous avez fait les exercices de 8 semaines sur 9. Il en faut au moins 9. "
            "Semaines à faire : 4.",
        ),
        ("S4", "Vous avez rendu votre site web. Le formateur ne l'a pas encore relu."),
        ("S4", "Le formateur n'a pas encore validé votre exercice final."),
    ]

    await result(client, trainer, steady["id"], "html_sections", "done")
    await result(client, trainer, steady["id"], "final_exercise", "validated")
    await review(
        client,
        trainer,
        steady["id"],
        submitted.json()["id"],
        decision="changes_requested",
        comment="Le menu ne marche pas.",
    )
    refusal = await decide(client, people, steady["id"])
    assert [rule for rule, _ in failed(refusal)] == ["S4"]
    assert "demandé des changements" in failed(refusal)[0][1]

    for week in WEEK_KEYS:
        await result(client, trainer, absent["id"], week, "done")
    await result(client, trainer, absent["id"], "final_exercise", "validated")
    handed = await submit(client, trainer, absent["id"], address="https://exemple.org/autre")
    await review(client, trainer, absent["id"], handed.json()["id"], decision="accepted")
    refusal = await decide(client, people, absent["id"])
    assert failed(refusal) == [
        ("S4", "Vous avez suivi 56 h sur 72 h (77 %). Il faut au moins 80 %."),
    ]

    audit = await client.get(
        "/api/v1/audit",
        params={"target_type": "enrolment", "target_id": absent["id"]},
        headers=people.auth("admin"),
    )
    decided = [e for e in audit.json()["items"] if e["action"] == "completion.decided"]
    assert decided[-1]["details"] == {"completed": False, "failed_rules": ["s4"]}
