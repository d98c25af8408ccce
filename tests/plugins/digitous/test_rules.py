"""DIGITOUS's admission to each phase, the phase 1 gate (T1, T2) and completion (T3, T4)."""

from __future__ import annotations

from datetime import date

import pytest

from core.plugin import CompletionFacts, EligibilityFacts, Offer
from plugins.digitous.curriculum import CHECKPOINTS
from plugins.digitous.program import Digitous
from plugins.digitous.settings import DigitousSettings, LegalFrame

DIGITOUS = Digitous()
ALL_MEET = dict.fromkeys(CHECKPOINTS, "meets")
PLACEMENT_DONE = {
    "legal_frame": "pmsmp",
    "midterm_evaluation": "approaching",
    "final_evaluation": "meets",
}


def eligibility(track: str, **facts: object) -> list:
    return DIGITOUS.eligibility(
        EligibilityFacts(track=track, cohort_start=date(2027, 1, 11), **facts)
    )


def bootcamp(
    attended: float = 420,
    results: dict[str, str] | None = None,
    deliverables: dict[str, str] | None = None,
):
    return DIGITOUS.completion(
        CompletionFacts(
            track="bootcamp",
            scheduled_hours=420,
            attended_hours=attended,
            results=ALL_MEET if results is None else results,
            deliverables=(
                {"project_repository": "https://example.org/projet"}
                if deliverables is None
                else deliverables
            ),
        )
    )


def placement(
    results: dict[str, str] | None = None,
    deliverables: dict[str, str] | None = None,
    settings: DigitousSettings | None = None,
    attended: float = 140,
):
    return DIGITOUS.completion(
        CompletionFacts(
            track="placement",
            scheduled_hours=140,
            attended_hours=attended,
            results=PLACEMENT_DONE if results is None else results,
            deliverables={"agreement": "CONV-2027-014"} if deliverables is None else deliverables,
            settings=settings,
        )
    )


def test_bootcamp_admits_digistart_completers_and_placement_test_passers() -> None:
    for facts in (
        {"completions": frozenset({("digistart", "web")})},
        {"passed_placements": frozenset({("digitous", "bootcamp")})},
    ):
        assert [(f.rule, f.ok) for f in eligibility("bootcamp", **facts)] == [("S4", True)]


def test_bootcamp_refuses_without_digistart_or_its_test() -> None:
    [finding] = eligibility("bootcamp", completions=frozenset({("digital", "advanced")}))
    assert (finding.rule, finding.ok) == ("S4", False)
    assert "DIGISTART" in finding.reason


def test_t2_phase_2_needs_the_bootcamp_completed() -> None:
    [refused] = eligibility("placement", passed_placements=frozenset({("digitous", "bootcamp")}))
    assert (refused.rule, refused.ok) == ("T2", False)
    [admitted] = eligibility("placement", completions=frozenset({("digitous", "bootcamp")}))
    assert (admitted.rule, admitted.ok) == ("T2", True)


def test_admission_steps_placement_test_then_the_agreement() -> None:
    assert [s.kind for s in DIGITOUS.admission_steps("bootcamp")] == ["placement_test"]
    assert [s.kind for s in DIGITOUS.admission_steps("placement")] == ["agreement"]


def test_t2_gate_passed_offers_phase_2() -> None:
    decision = bootcamp(attended=336)
    assert decision.completed
    assert decision.next_offers == (Offer(program="digitous", track="placement"),)


def test_t2_attendance_just_under_eighty_percent_fails_the_gate() -> None:
    decision = bootcamp(attended=335.5)
    assert not decision.completed
    assert decision.next_offers == ()


@pytest.mark.parametrize("grade", ["meets", "above"])
def test_t1_meets_or_better_passes_a_checkpoint(grade: str) -> None:
    assert bootcamp(results={**ALL_MEET, "sql": grade}).completed


@pytest.mark.parametrize("grade", ["approaching", "below", "Meets", None])
def test_t1_a_checkpoint_below_meets_fails_the_gate(grade: str | None) -> None:
    results = (
        {**ALL_MEET, "sql": grade} if grade else {k: v for k, v in ALL_MEET.items() if k != "sql"}
    )
    decision = bootcamp(results=results)
    assert not decision.completed
    assert "SQL" in decision.findings[1].reason


def test_t1_soft_skills_workshops_have_no_checkpoint() -> None:
    units = {u.key for u in DIGITOUS.curriculum if u.track == "bootcamp"}
    assert set(CHECKPOINTS) == units - {"soft_skills_team", "soft_skills_job"}


def test_t2_final_project_not_presented_fails_the_gate() -> None:
    decision = bootcamp(deliverables={})
    assert not decision.completed
    assert "projet final n'est pas encore présenté" in decision.findings[2].reason


def test_t4_phase_2_finished_with_the_tutor_s_evaluations_completes() -> None:
    decision = placement()
    assert decision.completed
    assert decision.next_offers == ()


@pytest.mark.parametrize("missing", ["midterm_evaluation", "final_evaluation"])
def test_t4_a_missing_tutor_evaluation_does_not_complete(missing: str) -> None:
    results = {k: v for k, v in PLACEMENT_DONE.items() if k != missing}
    assert not placement(results=results).completed


def test_t3_the_agreement_must_be_recorded() -> None:
    decision = placement(deliverables={})
    assert not decision.completed
    assert "convention" in decision.findings[2].reason


def test_t3_the_legal_frame_must_be_one_the_site_signs() -> None:
    no_pmsmp = DigitousSettings(
        tracks=("placement",), capacity=10, legal_frames=(LegalFrame.POEI, LegalFrame.WORK_STUDY)
    )
    decision = placement(settings=no_pmsmp)
    assert not decision.completed
    assert "POEI, alternance" in decision.findings[1].reason
    assert placement(
        results={**PLACEMENT_DONE, "legal_frame": "work_study"}, settings=no_pmsmp
    ).completed
    assert not placement(results={**PLACEMENT_DONE, "legal_frame": "stage"}).completed


def test_phase_2_attendance_counts_too() -> None:
    assert not placement(attended=100).completed
