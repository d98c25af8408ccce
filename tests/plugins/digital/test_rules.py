"""DIGITAL's admission (D1, D2) and completion (D4) decisions."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from core.plugin import CefrLevel, CompletionFacts, EligibilityFacts, Offer
from plugins.digital.program import Digital
from plugins.digital.settings import DigitalSettings

DIGITAL = Digital()
START = date(2027, 1, 11)


def eligibility(track: str, **facts: object) -> list:
    return DIGITAL.eligibility(EligibilityFacts(track=track, cohort_start=START, **facts))


def completion(
    track: str = "beginner",
    attended: float = 20,
    scheduled: float = 20,
    results: dict[str, str] | None = None,
    settings: DigitalSettings | None = None,
):
    return DIGITAL.completion(
        CompletionFacts(
            track=track,
            scheduled_hours=scheduled,
            attended_hours=attended,
            results={"final_exercise": "done"} if results is None else results,
            settings=settings,
        )
    )


@pytest.mark.parametrize("level", [CefrLevel.A2, CefrLevel.B1, CefrLevel.C2])
def test_d1_beginner_admits_french_a2_or_better(level: CefrLevel) -> None:
    [finding] = eligibility("beginner", french_level=level)
    assert (finding.rule, finding.ok, finding.referral) == ("D1", True, None)


def test_d1_below_a2_is_refused_with_a_referral_to_a_language_partner() -> None:
    [finding] = eligibility("beginner", french_level=CefrLevel.A1)
    assert (finding.rule, finding.ok) == ("D1", False)
    assert "A1" in finding.reason and "A2" in finding.reason
    assert finding.referral is not None and "français" in finding.referral


def test_d1_unknown_french_level_asks_for_the_french_test_first() -> None:
    [finding] = eligibility("beginner")
    assert (finding.rule, finding.ok, finding.referral) == ("D1", False, None)
    assert "test de français" in finding.reason


@pytest.mark.parametrize("track", ["intermediate", "advanced"])
def test_d2_higher_level_without_test_or_level_below_is_refused(track: str) -> None:
    [finding] = eligibility(track, french_level=CefrLevel.B2)
    assert (finding.rule, finding.ok) == ("D2", False)
    assert "test de positionnement" in finding.reason


@pytest.mark.parametrize(
    ("track", "below"), [("intermediate", "beginner"), ("advanced", "intermediate")]
)
def test_d2_completing_the_level_below_admits(track: str, below: str) -> None:
    [finding] = eligibility(track, completions=frozenset({("digital", below)}))
    assert (finding.rule, finding.ok) == ("D2", True)


@pytest.mark.parametrize("track", ["intermediate", "advanced"])
def test_d2_a_placement_test_passed_at_that_level_admits(track: str) -> None:
    [finding] = eligibility(track, passed_placements=frozenset({("digital", track)}))
    assert (finding.rule, finding.ok) == ("D2", True)


def test_d2_advanced_needs_intermediate_not_just_beginner_or_its_test() -> None:
    [finding] = eligibility(
        "advanced",
        completions=frozenset({("digital", "beginner"), ("digistart", "web")}),
        passed_placements=frozenset({("digital", "intermediate")}),
    )
    assert (finding.rule, finding.ok) == ("D2", False)


def test_admission_steps_french_test_for_beginner_placement_test_above() -> None:
    assert [s.kind for s in DIGITAL.admission_steps("beginner")] == ["language_test"]
    for track in ("intermediate", "advanced"):
        [step] = DIGITAL.admission_steps(track)
        assert (step.key, step.kind) == (f"placement_{track}", "placement_test")


def test_unknown_track_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no track 'expert'"):
        eligibility("expert")


def test_d4_eighty_percent_attended_and_exercise_done_completes() -> None:
    decision = completion(attended=16)
    assert decision.completed
    assert decision.findings[0].reason.startswith("Vous avez suivi 16 h sur 20 h (80 %)")
    assert decision.next_offers == (Offer(program="digital", track="intermediate"),)


def test_d4_just_under_eighty_percent_does_not_complete() -> None:
    decision = completion(attended=15.9)
    assert not decision.completed
    assert "15,9 h sur 20 h (79 %)" in decision.findings[0].reason
    assert decision.next_offers == ()


@pytest.mark.parametrize("result", ["done", "mastered"])
def test_d4_final_exercise_passed_completes(result: str) -> None:
    decision = completion(results={"final_exercise": result})
    assert decision.completed
    assert decision.findings[1].reason.startswith("Exercice pratique final : ")


@pytest.mark.parametrize("results", [{}, {"final_exercise": "not_done"}, {"other": "done"}])
def test_d4_final_exercise_missing_does_not_complete(results: dict[str, str]) -> None:
    decision = completion(results=results)
    assert not decision.completed
    assert [(f.rule, f.ok) for f in decision.findings] == [("D4", True), ("D4", False)]
    assert "exercice pratique final n'est pas encore fait" in decision.findings[1].reason


def test_d4_final_exercise_to_redo_names_the_result_and_what_is_asked() -> None:
    decision = completion(results={"final_exercise": "to_redo"})
    assert not decision.completed
    assert decision.findings[1].reason == (
        "Exercice pratique final : à refaire. Il faut au moins « réussi »."
    )


def test_d4_a_site_may_ask_the_final_exercise_mastered() -> None:
    strict = DigitalSettings(tracks=("beginner",), capacity=12, final_exercise_minimum="mastered")
    refused = completion(results={"final_exercise": "done"}, settings=strict)
    assert not refused.completed
    assert "réussi. Il faut au moins « très bien réussi »" in refused.findings[1].reason
    assert completion(results={"final_exercise": "mastered"}, settings=strict).completed


def test_d4_a_result_off_the_scale_never_completes() -> None:
    assert not completion(results={"final_exercise": "passed"}).completed


def test_the_final_minimum_is_validated_with_the_site_settings() -> None:
    with pytest.raises(msgspec.ValidationError, match="final_exercise_minimum"):
        msgspec.convert(
            {"tracks": ["beginner"], "capacity": 12, "final_exercise_minimum": "to_redo"},
            DigitalSettings,
        )


def test_assessments_a_check_per_taught_unit_then_the_final_exercise() -> None:
    for track in ("beginner", "intermediate", "advanced"):
        found = DIGITAL.assessments(track)
        units = [u.key for u in DIGITAL.curriculum if u.track == track]
        assert [a.unit for a in found] == units
        assert [a.key for a in found] == [*units[:-1], "final_exercise"]
        final = found[-1]
        assert (final.kind, final.unit, final.passing) == (
            "final",
            f"{track}_final",
            ("done", "mastered"),
        )


def test_d4_exactly_at_the_threshold_completes_despite_float_rounding() -> None:
    assert 0.8 * 3 > 2.4  # what a naive comparison would get wrong
    assert completion(attended=2.4, scheduled=3).completed


def test_d4_threshold_comes_from_the_site_settings() -> None:
    strict = DigitalSettings(tracks=("beginner",), capacity=12, attendance_threshold=0.9)
    assert not completion(attended=17.5, settings=strict).completed
    assert completion(attended=18, settings=strict).completed


def test_d4_no_scheduled_hours_never_completes() -> None:
    assert not completion(attended=0, scheduled=0).completed


def test_next_offers_climb_the_levels_then_digistart() -> None:
    """S3 admits DIGITAL intermediate completers to DIGISTART, so it is offered from there."""
    assert completion("intermediate").next_offers == (
        Offer(program="digital", track="advanced"),
        Offer(program="digistart", track="web"),
    )
    assert completion("advanced").next_offers == (Offer(program="digistart", track="web"),)


def test_every_finding_and_reason_is_french_text() -> None:
    findings = eligibility("beginner", french_level=CefrLevel.A1) + eligibility("advanced")
    texts = [f.reason for f in findings] + [
        f.reason for f in completion(attended=3, results={}).findings
    ]
    assert all(text and text[0].isupper() and text.endswith(".") for text in texts)
