"""Eligibility: the facts a decision is taken on, the findings of core and of the program that
owns the application, and their stored record.

Core's C1 (age) always and, at admission, C3 (entry positioning), plus the program's own
findings. Every check is stored with its findings and a snapshot of the facts, so that a
later edit of the learner record never rewrites a past decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import msgspec

from core.applications.rules import age_finding, positioning_finding
from core.applications.schemas import (
    FactsSnapshot,
    PlacementSnapshot,
)
from core.applications.tables import (
    Application,
    EligibilityCheck,
    EligibilityFinding,
    PlacementResult,
)
from core.cohorts.schemas import CohortRead
from core.completion.records import completed_tracks
from core.db.instants import as_utc
from core.errors import NotFound
from core.learners.tables import Learner
from core.plugin import CefrLevel, EligibilityFacts, Finding, Program
from core.plugins import PluginError
from core.reporting.facts import refresh_applications
from core.runtime import Runtime
from core.sites.loader import Site
from core.sites.schema import PartnerKind


async def completions_of(learner_id: int) -> frozenset[tuple[str, str]]:
    """The ``(program, track)`` pairs the learner has completed, in any program and site."""
    return await completed_tracks(learner_id)


async def _placements(learner_id: int) -> list[PlacementSnapshot]:
    rows = (
        await PlacementResult.select(
            PlacementResult.program,
            PlacementResult.track,
            PlacementResult.passed,
            PlacementResult.score,
            PlacementResult.assessed_at,
        )
        .where(PlacementResult.learner == learner_id)
        .order_by(PlacementResult.assessed_at, PlacementResult.id)
    )
    return [
        PlacementSnapshot(
            program=row["program"],
            track=row["track"],
            passed=bool(row["passed"]),
            score=row["score"],
            assessed_at=as_utc(row["assessed_at"]),
        )
        for row in rows
    ]


def language_partners(site: Site | None) -> tuple[str, ...]:
    """The names of the site's French-language partners, as its file lists them."""
    if site is None:
        return ()
    return tuple(
        partner.name for partner in site.config.partners if PartnerKind.LANGUAGE in partner.kinds
    )


def _local_date(instant: datetime, site: Site | None) -> date:
    """The site's calendar date at ``instant``: an application is dated where it is made."""
    zone = ZoneInfo(site.config.timezone) if site else UTC
    return as_utc(instant).astimezone(zone).date()


async def take_snapshot(
    *,
    learner_id: int,
    site: Site | None,
    program: str,
    track: str | None,
    cohort: CohortRead | None,
    applied_at: datetime,
) -> FactsSnapshot:
    """The facts as they stand now, read once, so that findings and snapshot agree."""
    learner = (
        await Learner.select(Learner.birth_date, Learner.french_level)
        .where(Learner.id == learner_id)
        .first()
    )
    if learner is None:
        raise NotFound(f"no learner {learner_id}", field="learner")
    completions = await completions_of(learner_id)
    return FactsSnapshot(
        learner=learner_id,
        birth_date=learner["birth_date"],
        french_level=learner["french_level"],
        program=program,
        track=track,
        cohort=cohort.id if cohort else None,
        cohort_start=cohort.starts_on if cohort else None,
        age_reference=cohort.starts_on if cohort else _local_date(applied_at, site),
        completions=tuple(sorted(completions)),
        placements=tuple(await _placements(learner_id)),
        language_partners=language_partners(site),
    )


def _facts(snapshot: FactsSnapshot, track: str, site: Site | None) -> EligibilityFacts:
    """What the program is told, built from the snapshot only."""
    return EligibilityFacts(
        track=track,
        cohort_start=snapshot.age_reference,
        birth_date=snapshot.birth_date,
        french_level=CefrLevel(snapshot.french_level) if snapshot.french_level else None,
        completions=frozenset(snapshot.completions),
        passed_placements=frozenset(
            (placement.program, placement.track)
            for placement in snapshot.placements
            if placement.passed
        ),
        language_partners=snapshot.language_partners,
        settings=site.programs.get(snapshot.program) if site else None,
    )


def _ask(runtime: Runtime, program: Program, facts: EligibilityFacts) -> list[Finding]:
    """The program's own findings; a program that raises or answers wrongly is named."""
    owner = runtime.host.program_owner(program.key)
    try:
        findings = list(program.eligibility(facts))
    except Exception as exc:
        raise PluginError(
            f"plugin {owner!r}, program {program.key!r} raised in eligibility: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not all(isinstance(finding, Finding) for finding in findings):
        raise PluginError(
            f"plugin {owner!r}, program {program.key!r}: eligibility must return "
            "a list of core.plugin.Finding"
        )
    return findings


def evaluate(
    runtime: Runtime,
    program: Program | None,
    snapshot: FactsSnapshot,
    site: Site | None,
    *,
    admission: bool,
) -> list[Finding]:
    """C1, then C3 at admission, then the owning program's findings when a track is known."""
    findings = [
        age_finding(
            snapshot.birth_date, snapshot.age_reference, cohort_start=snapshot.cohort is not None
        )
    ]
    if admission:
        findings.append(
            positioning_finding(
                french_level=snapshot.french_level,
                placements_taken=sum(p.program == snapshot.program for p in snapshot.placements),
                completed_in_program=any(p == snapshot.program for p, _ in snapshot.completions),
            )
        )
    if program is not None and snapshot.track is not None:
        findings.extend(_ask(runtime, program, _facts(snapshot, snapshot.track, site)))
    return findings


def opened_tracks(
    runtime: Runtime, program: Program, snapshot: FactsSnapshot, site: Site | None
) -> list[str]:
    """The site's tracks of the program whose own findings all hold on ``snapshot``."""
    offered = site.programs[program.key].tracks if site and program.key in site.programs else ()
    return [
        track.key
        for track in program.tracks
        if track.key in offered
        and all(finding.ok for finding in _ask(runtime, program, _facts(snapshot, track.key, site)))
    ]


def placement_tracks(program: Program, site: Site | None) -> list[str]:
    """The site's tracks of the program for which the program asks a placement test."""
    offered = site.programs[program.key].tracks if site and program.key in site.programs else ()
    return [
        track.key
        for track in program.tracks
        if track.key in offered
        and any(step.kind == "placement_test" for step in program.admission_steps(track.key))
    ]


async def store_check(
    application_id: int,
    stage: str,
    snapshot: FactsSnapshot,
    findings: Sequence[Finding],
    *,
    actor_id: int | None,
    at: datetime,
) -> int:
    """Store a check, its findings and its snapshot; the application shows its verdict."""
    eligible = all(finding.ok for finding in findings)
    rows = await EligibilityCheck.insert(
        EligibilityCheck(
            application=application_id,
            stage=stage,
            eligible=eligible,
            facts=msgspec.json.encode(snapshot).decode(),
            actor=actor_id,
            checked_at=at,
        )
    ).returning(EligibilityCheck.id)
    check_id = int(rows[0]["id"])
    if findings:
        await EligibilityFinding.insert(
            *(
                EligibilityFinding(
                    eligibility_check=check_id,
                    ordinal=index,
                    rule=finding.rule,
                    ok=finding.ok,
                    reason=finding.reason,
                    referral=finding.referral,
                )
                for index, finding in enumerate(findings)
            )
        )
    await Application.update({Application.eligible: eligible}).where(
        Application.id == application_id
    )
    await refresh_applications([application_id])
    return check_id
