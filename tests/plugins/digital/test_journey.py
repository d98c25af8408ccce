"""DIGITAL's acceptance: one learner from application to completion attestation and an ICDL
certificate, through the HTTP API only, and each refusal rule with its reason (D1, D2, D4)."""

from __future__ import annotations

from tests.applications import apply, make_learner, move
from tests.documents import rendered_text
from tests.enrolment import enrol
from tests.plugins.digital.helpers import (
    after_the_sessions,
    attend,
    decide,
    digital_cohort,
    enrolled,
    plan,
    result,
    trainer_of,
)

BEGINNER_UNITS = ("computer", "mouse_keyboard", "files_folders", "usb_key", "browsing")


async def test_a_beginner_from_application_to_attestation_and_icdl_certificate(
    client, people, clock, tmp_path
):
    manager = people.auth("paris_manager")
    learner = await make_learner(client, people, french_level="A2")
    application = await apply(client, people, learner, program="digital", track="beginner")
    [d1] = [f for f in application["findings"] if f["rule"] == "D1"]
    assert (d1["rule"], d1["ok"]) == ("D1", True)
    await move(client, people, application["id"], "screening")
    admitted = await move(client, people, application["id"], "admitted")
    assert admitted["status"] == "admitted"

    cohort = await digital_cohort(client, people)
    enrolment = await enrol(client, people, cohort, application["id"])
    assert enrolment["status"] == "enrolled"
    sessions = await plan(client, people, cohort)
    assert len(sessions) == 10
    trainer = await trainer_of(cohort, clock)
    after_the_sessions(clock)
    await attend(client, trainer, sessions, {learner: len(sessions)})

    sheet = await client.get(f"/api/v1/enrolments/{enrolment['id']}/assessments", headers=manager)
    assert [item["key"] for item in sheet.json()["items"]] == [*BEGINNER_UNITS, "final_exercise"]
    for unit in BEGINNER_UNITS:
        await result(client, trainer, enrolment["id"], unit, "acquired")
    await result(client, trainer, enrolment["id"], "final_exercise", "done")

    decision = await decide(client, people, enrolment["id"])
    assert decision["completed"] is True, decision
    assert [(f["rule"], f["ok"]) for f in decision["findings"]] == [("D4", True), ("D4", True)]
    assert "20 h sur 20 h (100 %)" in decision["findings"][0]["reason"]
    assert decision["attestation_number"] == "PARIS-2026-0001"
    assert decision["next_offers"] == [{"program": "digital", "track": "intermediate"}]

    pdf = await client.get(f"/api/v1/enrolments/{enrolment['id']}/attestation.pdf", headers=manager)
    assert pdf.status_code == 200
    text = rendered_text(tmp_path, pdf.content)
    assert "Attestation de fin de formation" in text
    assert "PARIS-2026-0001" in text
    assert "DIGITAL" in text

    # The next level is open to them: D2 holds on the completed level below.
    next_level = await apply(client, people, learner, program="digital", track="intermediate")
    [d2] = [f for f in next_level["findings"] if f["rule"] == "D2"]
    assert (d2["rule"], d2["ok"]) == ("D2", True)
    assert "débutant" in d2["reason"]

    # ICDL: a failed then a passed attempt at Computer Essentials, then the certificate.
    url = f"/api/v1/programs/digital/enrolments/{enrolment['id']}"
    for score, day in ((60, "2026-11-09"), (83.3, "2026-11-12")):
        attempt = await client.post(
            f"{url}/icdl-attempts",
            json={
                "module": "computer_essentials",
                "syllabus": "6.0",
                "taken_on": day,
                "test_centre": "Centre agréé PCIE Paris 19",
                "score": score,
            },
            headers=manager,
        )
        assert attempt.status_code == 201, attempt.text
        assert attempt.json()["passed"] is (score >= 75)
    record = (await client.get(f"{url}/certification", headers=manager)).json()
    assert record["prepares_for"] == ["computer_essentials"]
    assert [a["passed"] for a in record["attempts"]] == [False, True]
    assert record["entitlement"]["level"] is None
    assert record["entitlement"]["base_missing"] == [
        "online_essentials",
        "word_processing",
        "spreadsheets",
    ]
    certificate = await client.post(
        f"{url}/certificates",
        json={"level": "base", "number": "FR-2026-000123", "issued_on": "2026-11-16"},
        headers=manager,
    )
    assert certificate.status_code == 201, certificate.text
    record = (await client.get(f"{url}/certification", headers=manager)).json()
    assert [(c["level"], c["number"]) for c in record["certificates"]] == [
        ("base", "FR-2026-000123")
    ]
    # Recorded as issued, never computed: the attempts alone still entitle to nothing.
    assert record["entitlement"]["level"] is None


async def test_d1_below_a2_is_refused_with_a_referral_to_the_sites_language_partner(client, people):
    learner = await make_learner(client, people, french_level="A1")
    application = await apply(client, people, learner, program="digital", track="beginner")
    [d1] = [f for f in application["findings"] if f["rule"] == "D1"]
    assert (d1["rule"], d1["ok"]) == ("D1", False)
    assert "A1" in d1["reason"] and "A2" in d1["reason"]
    assert "Wintegreat" in d1["referral"]
    await move(client, people, application["id"], "screening")
    refused = await move(client, people, application["id"], "admitted", expect=409)
    assert "D1" in refused["detail"]


async def test_d2_without_placement_nor_the_level_below_is_refused(client, people):
    learner = await make_learner(client, people, french_level="B2")
    application = await apply(client, people, learner, program="digital", track="advanced")
    [d2] = [f for f in application["findings"] if f["rule"] == "D2"]
    assert (d2["rule"], d2["ok"]) == ("D2", False)
    assert d2["reason"] == (
        "Pour le niveau avancé, il faut réussir le test de positionnement "
        "ou terminer d'abord le niveau intermédiaire."
    )
    await move(client, people, application["id"], "screening")
    refused = await move(client, people, application["id"], "admitted", expect=409)
    assert "D2" in refused["detail"]


async def test_d4_refusals_say_the_attendance_figures_and_the_missing_final_exercise(
    client, people, clock
):
    cohort = await digital_cohort(client, people)
    short = await enrolled(client, people, cohort)
    no_exercise = await enrolled(client, people, cohort)
    sessions = await plan(client, people, cohort)
    trainer = await trainer_of(cohort, clock)
    after_the_sessions(clock)
    # 7 sessions of 10 is 14 h of 20 h: 70 %, under the 80 % Paris asks.
    await attend(client, trainer, sessions, {short["learner"]: 7, no_exercise["learner"]: 10})
    await result(client, trainer, short["id"], "final_exercise", "done")

    attendance = await decide(client, people, short["id"])
    assert attendance["completed"] is False
    assert attendance["attestation_number"] is None
    assert [(f["rule"], f["ok"]) for f in attendance["findings"]] == [("D4", False), ("D4", True)]
    assert attendance["findings"][0]["reason"] == (
        "Vous avez suivi 14 h sur 20 h (70 %). Il faut au moins 80 %."
    )
    assert attendance["next_offers"] == []

    exercise = await decide(client, people, no_exercise["id"])
    assert exercise["completed"] is False
    assert [(f["rule"], f["ok"]) for f in exercise["findings"]] == [("D4", True), ("D4", False)]
    assert exercise["findings"][1]["reason"] == "L'exercice pratique final n'est pas encore fait."

    await result(client, trainer, no_exercise["id"], "final_exercise", "to_redo")
    redo = await decide(client, people, no_exercise["id"])
    assert redo["findings"][1]["reason"] == (
        "Exercice pratique final : à refaire. Il faut au moins « réussi »."
    )
    await result(client, trainer, no_exercise["id"], "final_exercise", "done")
    assert (await decide(client, people, no_exercise["id"]))["completed"] is True
