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
            results={"final_exercise": "validated"} if results is None else results,
            deliverables=(
                {"website": "https://example.org/mon-site"}
                if deliverables is None
                else deliverables
            ),
            settings=settings,
        )
    )


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


def test_s4_attendance_website_and_final_exercise_complete_and_offer_digitous() -> None:
    decision = completion(attended=57.6)
    assert decision.completed
    assert len(decision.findings) == 3
    assert decision.next_offers == (Offer(program="digitous", track="bootcamp"),)


def test_s4_just_under_the_attendance_threshold_does_not_complete() -> None:
    decision = completion(attended=57.5)
    assert not decision.completed
    assert "57,5 h sur 72 h (79 %)" in decision.findings[0].reason
    assert decision.next_offers == ()


@pytest.mark.parametrize("deliverables", [{}, {"website": "  "}, {"slides": "x"}])
def test_s4_no_website_delivered_does_not_complete(deliverables: dict[str, str]) -> None:
    decision = completion(deliverables=deliverables)
    assert not decision.completed
    assert "site web n'est pas encore rendu" in decision.findings[1].reason


@pytest.mark.parametrize("results", [{}, {"final_exercise": "submitted"}])
def test_s4_final_exercise_not_validated_does_not_complete(results: dict[str, str]) -> None:
    decision = completion(results=results)
    assert not decision.completed
    assert "pas encore validé" in decision.findings[2].reason


def test_s4_threshold_comes_from_the_site_settings() -> None:
    lenient = DigistartSettings(tracks=("web",), capacity=12, attendance_threshold=0.7)
    assert completion(attended=50.4, settings=lenient).completed
    assert not completion(attended=50.4).completed
