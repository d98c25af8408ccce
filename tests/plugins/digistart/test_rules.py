"""DIGISTART's admission (S3) and completion (S4) decisions."""

from __future__ import annotations

from datetime import date

import pytest

from core.plugin import CefrLevel, CompletionFacts, EligibilityFacts, Offer
from plugins.digistart.program import Digistart
from plugins.digistart.settings import DigistartSettings

DIGISTART = Digistart()
DIGITAL_INTERMEDIATE = frozenset({("digital", "intermediate")})


def eligibility(**facts: object) -> list:
    return DIGISTART.eligibility(
        EligibilityFacts(track="web", cohort_start=date(2027, 1, 11), **facts)
    )


WEEKS = [unit.key for unit in DIGISTART.curriculum]
ALL_DONE = {week: "done" for week in WEEKS} | {
    "website_review": "accepted",
    "final_exercise": "validated",
}


def completion(
    attended: float = 72,
    results: dict[str, str] | None = None,
    deliverables: dict[str, str] | None = None,
    settings: DigistartSettings | None = None,
):
    return DIGISTART.completion(
        CompletionFacts(
            track="web",
            scheduled_hours=72,
            attended_hours=attended,
            results=ALL_DONE if results is None else results,
            deliverables=(
                {"website": "https://example.org/mon-site"}
                if deliverables is None
                else deliverables
            ),
            settings=settings,
        )
    )


def refusals(decision) -> list[str]:
    return [f.reason for f in decision.findings if not f.ok]


def test_s3_french_a2_and_digital_intermediate_admits() -> None:
    findings = eligibility(french_level=CefrLevel.A2, completions=DIGITAL_INTERMEDIATE)
    assert [(f.rule, f.ok) for f in findings] == [("S3", True), ("S3", True)]


def test_s3_digital_advanced_completers_are_admitted_too() -> None:
    findings = eligibility(
        french_level=CefrLevel.B1, completions=frozenset({("digital", "advanced")})
    )
    assert all(f.ok for f in findings)


def test_s3_a_passed_digistart_placement_test_admits() -> None:
    findings = eligibility(
        french_level=CefrLevel.B2, passed_placements=frozenset({("digistart", "web")})
    )
    assert all(f.ok for f in findings)


def test_s3_digital_beginner_or_another_program_s_test_is_not_enough() -> None:
    findings = eligibility(
        french_level=CefrLevel.B2,
        completions=frozenset({("digital", "beginner")}),
        passed_placements=frozenset({("digital", "intermediate")}),
    )
    refused = [f for f in findings if not f.ok]
    assert [f.rule for f in refused] == ["S3"]
    assert "DIGITAL intermédiaire" in refused[0].reason


@pytest.mark.parametrize("level", [None, CefrLevel.A1])
def test_s3_french_below_a2_or_unknown_is_refused(level: CefrLevel | None) -> None:
    findings = eligibility(french_level=level, completions=DIGITAL_INTERMEDIATE)
    assert [(f.rule, f.ok) for f in findings] == [("S3", False), ("S3", True)]
    assert "français" in findings[0].reason


def test_admission_is_the_digistart_placement_test() -> None:
    [step] = DIGISTART.admission_steps("web")
    assert (step.key, step.kind) == ("placement_web", "placement_test")


def test_unknown_track_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no track 'mobile'"):
        DIGISTART.admission_steps("mobile")


def test_s4_attendance_exercises_website_and_final_exercise_complete_and_offer_digitous():
    decision = completion(attended=57.6)
    assert decision.completed
    assert [f.rule for f in decision.findings] == ["S4", "S2", "S4", "S4"]
    assert decision.next_offers == (Offer(program="digitous", track="bootcamp"),)


def test_s4_just_under_the_attendance_threshold_does_not_complete() -> None:
    decision = completion(attended=57.5)
    assert not decision.completed
    assert refusals(decision) == ["Vous avez suivi 57,5 h sur 72 h (79 %). Il faut au moins 80 %."]
    assert decision.next_offers == ()


def test_s2_every_week_s_exercises_by_default_naming_the_weeks_left() -> None:
    results = ALL_DONE | {"css_framework": "not_done"}
    del results["js_conditions"]
    decision = completion(results=results)
    assert not decision.completed
    assert [(f.rule, f.reason) for f in decision.findings if not f.ok] == [
        (
            "S2",
            "Vous avez fait les exercices de 7 semaines sur 9. Il en faut au moins 9. "
            "Semaines à faire : 3, 7.",
        )
    ]


def test_s2_the_site_sets_how_many_weeks_exercises_are_needed() -> None:
    results = ALL_DONE | {"css_framework": "not_done", "js_conditions": "not_done"}
    seven = DigistartSettings(tracks=("web",), capacity=12, exercise_weeks_required=7)
    assert completion(results=results, settings=seven).completed
    eight = DigistartSettings(tracks=("web",), capacity=12, exercise_weeks_required=8)
    assert not completion(results=results, settings=eight).completed
    none = DigistartSettings(tracks=("web",), capacity=12, exercise_weeks_required=0)
    decision = completion(
        results={"website_review": "accepted", "final_exercise": "validated"}, settings=none
    )
    assert decision.completed
    assert decision.findings[1].reason.startswith("Vous avez fait les exercices de 0 semaine")


@pytest.mark.parametrize("deliverables", [{}, {"website": "  "}, {"slides": "x"}])
def test_s4_no_website_delivered_does_not_complete(deliverables: dict[str, str]) -> None:
    decision = completion(deliverables=deliverables)
    assert refusals(decision) == [
        "Votre site web n'est pas encore rendu (son adresse ou son dépôt)."
    ]


@pytest.mark.parametrize(
    ("review", "reason"),
    [
        (None, "Le formateur ne l'a pas encore relu."),
        ("changes_requested", "Le formateur a demandé des changements sur votre site web."),
    ],
)
def test_s4_a_website_not_accepted_by_a_trainer_does_not_complete(
    review: str | None, reason: str
) -> None:
    results = {k: v for k, v in ALL_DONE.items() if k != "website_review"}
    if review:
        results["website_review"] = review
    [refusal] = refusals(completion(results=results))
    assert reason in refusal


@pytest.mark.parametrize("final", [None, "not_validated", "passed"])
def test_s4_final_exercise_not_validated_does_not_complete(final: str | None) -> None:
    results = {k: v for k, v in ALL_DONE.items() if k != "final_exercise"}
    if final:
        results["final_exercise"] = final
    assert refusals(completion(results=results)) == [
        "Le formateur n'a pas encore validé votre exercice final."
    ]


def test_s4_threshold_comes_from_the_site_settings() -> None:
    lenient = DigistartSettings(tracks=("web",), capacity=12, attendance_threshold=0.7)
    assert completion(attended=50.4, settings=lenient).completed
    assert not completion(attended=50.4).completed
