"""A small program plugin registered by core's tests, so that core is tested without built-ins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import msgspec

from core.plugin import (
    COUNTED_ENROLMENT,
    DONE_SCALE,
    AdmissionStep,
    Assessment,
    AssessmentKind,
    CohortFacts,
    CompletionDecision,
    CompletionFacts,
    DemoCohort,
    EligibilityFacts,
    Finding,
    Offer,
    PlannedSession,
    ProgramCount,
    ProgramIndicators,
    ProgramRate,
    ProgramSettings,
    SiteInfo,
    Track,
    Unit,
    attendance_finding,
    hookimpl,
    plan_sessions,
)
from core.plugin.tables import ENROLMENT_TABLE


class AtelierSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Per-site settings of the toy program."""

    attendance_threshold: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.8


SESSION_MINUTES = 120
"""Two-hour sessions: initiation has two, approfondissement three."""


class Atelier:
    """A two-track toy program with one unit per track."""

    key = "atelier"
    title = "Atelier"
    summary = "Programme d'essai pour les tests de core."
    tracks = (
        Track(key="initiation", title="Initiation", hours=4),
        Track(key="approfondissement", title="Approfondissement", hours=6),
    )
    curriculum = (
        Unit(key="bases", track="initiation", title="Les bases", hours=4),
        Unit(key="suite", track="approfondissement", title="La suite", hours=6),
    )
    settings_schema = AtelierSettings

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        if (
            facts.track == "approfondissement"
            and ("atelier", "initiation") not in facts.completions
        ):
            return [Finding(rule="ATL1", ok=False, reason="Il faut d'abord finir l'initiation.")]
        return [Finding(rule="ATL1", ok=True, reason="Conditions remplies.")]

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        return ()

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        units = [unit for unit in self.curriculum if unit.track == cohort.track]
        return plan_sessions(units, SESSION_MINUTES)

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        return (
            Assessment(
                key="bilan",
                title="Bilan final",
                kind=AssessmentKind.FINAL,
                scale=DONE_SCALE,
                passing=("done",),
            ),
            Assessment(key="carnet", title="Carnet de bord", kind=AssessmentKind.DELIVERABLE),
        )

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        findings = (
            attendance_finding(facts, 0.8, "ATL2"),
            Finding(
                rule="ATL3",
                ok=facts.results.get("bilan") == "done",
                reason="Le bilan final est fait."
                if facts.results.get("bilan") == "done"
                else "Le bilan final n'est pas encore fait.",
            ),
        )
        return CompletionDecision(
            completed=all(f.ok for f in findings),
            findings=findings,
            next_offers=(Offer(program="atelier", track="approfondissement"),)
            if all(f.ok for f in findings) and facts.track == "initiation"
            else (),
        )


ATELIER_INDICATORS = ProgramIndicators(
    program="atelier",
    counts=(
        ProgramCount(
            name="still_enrolled",
            title="Toujours inscrits",
            definition="Personnes entrées en formation dont l'inscription est en cours.",
            condition=f"EXISTS (SELECT 1 FROM {ENROLMENT_TABLE} n "
            f"WHERE n.id = {COUNTED_ENROLMENT} AND n.status = 'enrolled')",
        ),
    ),
    rates=(
        ProgramRate(
            name="retention_rate",
            title="Taux de maintien",
            definition="Toujours inscrits / personnes entrées en formation.",
            numerator="still_enrolled",
            denominator="entered",
        ),
    ),
)
"""The toy program's own indicator, over core's tables only (it has none of its own)."""


class AtelierPlugin:
    """The toy plugin's hook implementations."""

    @hookimpl
    def essaim_register_programs(self) -> list[Atelier]:
        return [Atelier()]

    @hookimpl
    def essaim_indicators(self) -> list[ProgramIndicators]:
        return [ATELIER_INDICATORS]

    @hookimpl
    def essaim_demo_data(self, site: SiteInfo, today: date) -> list[DemoCohort]:
        settings = site.programs.get("atelier")
        if settings is None:
            return []
        return [
            DemoCohort(
                program="atelier",
                track=track,
                title=f"Atelier {track} {site.name}",
                starts_on=today + timedelta(days=7),
                ends_on=today + timedelta(days=37),
                capacity=settings.capacity,
            )
            for track in settings.tracks
        ]


plugin = AtelierPlugin()
"""The instance an ``essaim`` entry point names (``tests.toy_program:plugin``), as a package
declares its plugin: core's CLI tests install the toy program this way (``tests.cli``)."""
