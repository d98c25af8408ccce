"""The kit's checks of one program object: curriculum, settings, plan, assessments, decisions.

Each check calls the program's pure methods on facts the kit makes up and returns the
problems it found; a method that raises is a problem too, never an error of the kit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from typing import Any

import msgspec

from core.plugin import (
    Assessment,
    AssessmentKind,
    CefrLevel,
    CohortFacts,
    CompletionDecision,
    CompletionFacts,
    EligibilityFacts,
    Finding,
    PlannedSession,
    Program,
    ProgramSettings,
    Track,
)
from core.plugin.testing.problems import Problem, where

CompleteFacts = Callable[[Program, Track, ProgramSettings], CompletionFacts | None]
"""What a plugin gives the kit when full attendance and every assessment at its best passing
value do not complete one of its tracks: the facts of a learner who completed ``track``, or
None to let the kit make them."""

MINIMAL_CAPACITY = 12
"""The capacity of the minimal site block the kit validates."""
UNKNOWN_FIELD = "essaim_kit_unknown_field"
"""A field no settings schema declares: a site file holding it must be refused."""
HOURS_TOLERANCE = 1e-6


def minimal_block(program: Program) -> dict[str, Any]:
    """The smallest ``[programs.<key>]`` block of a site file: every track, a capacity."""
    return {"tracks": [track.key for track in program.tracks], "capacity": MINIMAL_CAPACITY}


def best_passing(assessment: Assessment) -> str | None:
    """The highest value of ``assessment``'s scale that passes, or None when none does."""
    passing = [value for value in assessment.scale if value in assessment.passing]
    return passing[-1] if passing else None


def default_complete_facts(
    program: Program, track: Track, settings: ProgramSettings
) -> CompletionFacts:
    """A learner who attended every hour of ``track``, got the best passing value of every
    assessment on a scale and handed in every deliverable."""
    results: dict[str, str] = {}
    deliverables: dict[str, str] = {}
    for assessment in program.assessments(track.key):
        if assessment.kind is AssessmentKind.DELIVERABLE:
            deliverables[assessment.key] = f"https://example.org/{assessment.key}"
        elif (value := best_passing(assessment)) is not None:
            results[assessment.key] = value
    return CompletionFacts(
        track=track.key,
        scheduled_hours=track.hours,
        attended_hours=track.hours,
        results=results,
        deliverables=deliverables,
        settings=settings,
    )


class ProgramChecks:
    """The checks of one program registered by ``plugin``; ``run`` returns every problem."""

    def __init__(
        self,
        plugin: str,
        program: Program,
        *,
        complete_facts: CompleteFacts | None = None,
        external_programs: Collection[str] = (),
        today: date,
    ) -> None:
        self.plugin = plugin
        self.program = program
        self.complete_facts = complete_facts
        self.external_programs = frozenset(external_programs)
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, check: str, message: str, **place: str | None) -> None:
        """Note a problem of ``check`` at ``place`` (track, unit, hook) in this program."""
        self.problems.append(
            Problem(
                check=check,
                where=where(self.plugin, program=self.program.key, **place),
                message=message,
            )
        )

    def call(self, check: str, method: str, *args: Any, **place: str | None) -> Any:
        """``program.method(*args)``; None, with a problem noted, when it raises."""
        try:
            return getattr(self.program, method)(*args)
        except Exception as exc:
            self.problem(
                check,
                f"{method}() raised {type(exc).__name__}: {exc}; a program method must answer "
                "for every track it declares, without I/O",
                **place,
            )
            return None

    def run(self) -> list[Problem]:
        """Every check of the program; those that need the site's settings only when the
        minimal site block builds."""
        self.check_curriculum()
        settings = self.check_settings()
        for track in self.program.tracks:
            self.check_assessments(track)
            self.check_eligibility(track, settings)
            if settings is not None:
                self.check_session_plan(track, settings)
                self.check_completion(track, settings)
        return self.problems

    # Curriculum

    def check_curriculum(self) -> None:
        """Every unit belongs to a track, unit keys are unique, each track's units add up to
        its hours."""
        tracks = {track.key for track in self.program.tracks}
        seen: set[str] = set()
        for unit in self.program.curriculum:
            if unit.track not in tracks:
                self.problem(
                    "curriculum",
                    f"belongs to unknown track {unit.track!r}; set Unit.track to one of "
                    f"{sorted(tracks)}",
                    unit=unit.key,
                )
            if unit.key in seen:
                self.problem(
                    "curriculum",
                    "is declared twice in curriculum; give each unit its own key",
                    unit=unit.key,
                )
            seen.add(unit.key)
        for track in self.program.tracks:
            units = [unit for unit in self.program.curriculum if unit.track == track.key]
            total = sum(unit.hours for unit in units)
            if not units:
                self.problem(
                    "curriculum",
                    "has no unit; add Unit(track=...) entries to curriculum",
                    track=track.key,
                )
            elif abs(total - track.hours) > HOURS_TOLERANCE:
                self.problem(
                    "curriculum",
                    f"its units add up to {total:g} h but the track declares {track.hours} h; "
                    "change Track.hours or the units' hours",
                    track=track.key,
                )

    # Settings

    def check_settings(self) -> ProgramSettings | None:
        """The schema builds from a minimal site block and refuses an unknown field; the
        settings built, or None when they do not."""
        schema = self.program.settings_schema
        block = minimal_block(self.program)
        try:
            settings = msgspec.convert(block, schema)
        except msgspec.ValidationError as exc:
            self.problem(
                "settings",
                f"{schema.__name__} does not build from the minimal site block {block}: {exc}; "
                "give every field but tracks and capacity a default",
            )
            return None
        try:
            msgspec.convert(block | {UNKNOWN_FIELD: 1}, schema)
        except msgspec.ValidationError:
            pass
        else:
            self.problem(
                "settings",
                f"{schema.__name__} accepts an unknown field ({UNKNOWN_FIELD}); declare it with "
                "forbid_unknown_fields=True so that a typo in a site file is an error",
            )
        return settings

    # Session plan

    def check_session_plan(self, track: Track, settings: ProgramSettings) -> None:
        """Sessions of positive length, numbered 1, 2, ... in order, naming units of the track,
        that add up to the track's hours."""
        starts = self.today + timedelta(days=28)
        cohort = CohortFacts(
            track=track.key,
            starts_on=starts,
            ends_on=starts + timedelta(days=91),
            capacity=settings.capacity,
            settings=settings,
        )
        plan = self.call("session_plan", "session_plan", cohort, track=track.key)
        if plan is None:
            return
        if not isinstance(plan, tuple) or not all(isinstance(s, PlannedSession) for s in plan):
            self.problem(
                "session_plan",
                f"session_plan() returned {type(plan).__name__}; return a tuple of "
                "core.plugin.PlannedSession (plan_sessions(units, minutes) makes one)",
                track=track.key,
            )
            return
        units = {unit.key for unit in self.program.curriculum if unit.track == track.key}
        for expected, session in enumerate(plan, start=1):
            if session.sequence != expected:
                self.problem(
                    "session_plan",
                    f"session {expected} of the plan is numbered {session.sequence}; number "
                    "sessions 1, 2, 3... in order",
                    track=track.key,
                )
                break
        for session in plan:
            if session.minutes <= 0:
                self.problem(
                    "session_plan",
                    f"session {session.sequence} lasts {session.minutes} minutes; every session "
                    "lasts at least one minute",
                    track=track.key,
                    unit=session.unit,
                )
            if session.unit not in units:
                self.problem(
                    "session_plan",
                    f"session {session.sequence} names a unit that is not one of the track's "
                    f"({sorted(units)}); plan the track's own units",
                    track=track.key,
                    unit=session.unit,
                )
        minutes = sum(session.minutes for session in plan)
        if minutes != round(track.hours * 60):
            self.problem(
                "session_plan",
                f"the plan has {minutes / 60:g} h of sessions but the track lasts {track.hours} h; "
                "plan every hour of the track's units, no more",
                track=track.key,
            )

    # Assessments

    def check_assessments(self, track: Track) -> None:
        """Unique keys, units of the track, passing values on the scale."""
        assessments = self.call("assessments", "assessments", track.key, track=track.key)
        if assessments is None:
            return
        if not isinstance(assessments, tuple) or not all(
            isinstance(a, Assessment) for a in assessments
        ):
            self.problem(
                "assessments",
                "assessments() must return a tuple of core.plugin.Assessment",
                track=track.key,
            )
            return
        units = {unit.key for unit in self.program.curriculum if unit.track == track.key}
        seen: set[str] = set()
        for assessment in assessments:
            name = f"assessment {assessment.key!r}"
            if assessment.key in seen:
                self.problem(
                    "assessments",
                    f"{name} is returned twice; give each assessment its own key",
                    track=track.key,
                )
            seen.add(assessment.key)
            if assessment.unit is not None and assessment.unit not in units:
                self.problem(
                    "assessments",
                    f"{name} closes a unit that is not one of the track's ({sorted(units)}); "
                    "set Assessment.unit to one of them, or to None",
                    track=track.key,
                    unit=assessment.unit,
                )
            off_scale = [value for value in assessment.passing if value not in assessment.scale]
            if off_scale:
                self.problem(
                    "assessments",
                    f"{name} passes on {off_scale}, which are not on its scale "
                    f"{list(assessment.scale)}",
                    track=track.key,
                )

    # Eligibility

    def eligibility_facts(
        self, track: Track, settings: ProgramSettings | None
    ) -> dict[str, EligibilityFacts]:
        """A newcomer the program knows nothing about, a beginner in French, and an applicant
        who has done everything the program could ask for."""
        start = self.today + timedelta(days=28)
        everything = frozenset((self.program.key, other.key) for other in self.program.tracks)
        return {
            "a newcomer": EligibilityFacts(track=track.key, cohort_start=start, settings=settings),
            "a beginner in French": EligibilityFacts(
                track=track.key,
                cohort_start=start,
                birth_date=date(2001, 3, 14),
                french_level=CefrLevel.A1,
                language_partners=("Association de quartier",),
                settings=settings,
            ),
            "an applicant with every prerequisite": EligibilityFacts(
                track=track.key,
                cohort_start=start,
                birth_date=date(1990, 6, 1),
                french_level=CefrLevel.C2,
                completions=everything,
                passed_placements=everything,
                settings=settings,
            ),
        }

    def check_eligibility(self, track: Track, settings: ProgramSettings | None) -> None:
        """At least one Finding per applicant, each with a rule id and a reason."""
        for who, facts in self.eligibility_facts(track, settings).items():
            findings = self.call("eligibility", "eligibility", facts, track=track.key)
            if findings is None:
                continue
            if not isinstance(findings, list | tuple) or not findings:
                self.problem(
                    "eligibility",
                    f"eligibility() for {who} returned {findings!r}; return a list of "
                    "core.plugin.Finding, at least one (ok=True with its reason when the "
                    "program sets no condition)",
                    track=track.key,
                )
                continue
            for finding in findings:
                self.check_finding("eligibility", f"eligibility() for {who}", finding, track)

    def check_finding(self, check: str, context: str, finding: object, track: Track) -> bool:
        """True when ``finding`` is a Finding with a rule id and a reason; a problem if not."""
        if not isinstance(finding, Finding):
            self.problem(
                check,
                f"{context} returned {finding!r}, not a core.plugin.Finding",
                track=track.key,
            )
            return False
        if not finding.rule.strip() or not finding.reason.strip():
            self.problem(
                check,
                f"{context} returned a finding without a rule id or a reason ({finding!r}); "
                "name the rule (such as 'D4') and say why in plain French",
                track=track.key,
            )
            return False
        return True

    # Completion and next offers

    def decide(self, facts: CompletionFacts, track: Track) -> CompletionDecision | None:
        """The program's decision on ``facts``, or None with a problem when it is malformed."""
        decision = self.call("completion", "completion", facts, track=track.key)
        if decision is None:
            return None
        if not isinstance(decision, CompletionDecision):
            self.problem(
                "completion",
                f"completion() returned {type(decision).__name__}, not a "
                "core.plugin.CompletionDecision",
                track=track.key,
            )
            return None
        for finding in decision.findings:
            self.check_finding("completion", "completion()", finding, track)
        return decision

    def check_completion(self, track: Track, settings: ProgramSettings) -> None:
        """Nothing attended and no result is refused with a reason; a complete record completes,
        and what it offers next is known."""
        empty = CompletionFacts(
            track=track.key,
            scheduled_hours=track.hours,
            attended_hours=0,
            settings=settings,
        )
        refused = self.decide(empty, track)
        if refused is not None:
            if refused.completed:
                self.problem(
                    "completion",
                    "completion() completes a learner who attended no hour and has no result; "
                    "check attendance (attendance_finding) and the final assessment",
                    track=track.key,
                )
            elif not any(not finding.ok and finding.reason.strip() for finding in refused.findings):
                self.problem(
                    "completion",
                    "completion() refuses a learner who attended no hour without saying why; "
                    "return a finding with ok=False and its reason for each rule not met",
                    track=track.key,
                )
        facts = self.full_facts(track, settings)
        if facts is None:
            return
        completed = self.decide(facts, track)
        if completed is None:
            return
        if not completed.completed:
            failing = "; ".join(f.reason for f in completed.findings if not f.ok) or "no reason"
            self.problem(
                "completion",
                "completion() refuses a learner with full attendance and every assessment at "
                f"its best passing value ({failing}); fix the rule, or give the kit the facts "
                "of a learner who completes this track (ContractTests.complete_facts, or "
                "check_plugin(complete_facts=...))",
                track=track.key,
            )
            return
        self.check_offers(completed, track)

    def full_facts(self, track: Track, settings: ProgramSettings) -> CompletionFacts | None:
        """The facts of a learner who completes ``track``: the plugin's own, else the kit's."""
        if self.complete_facts is not None:
            try:
                given = self.complete_facts(self.program, track, settings)
            except Exception as exc:
                self.problem(
                    "completion",
                    f"the complete_facts given to the kit raised {type(exc).__name__}: {exc}",
                    track=track.key,
                )
                return None
            if given is not None:
                return given
        try:
            return default_complete_facts(self.program, track, settings)
        except Exception:
            return None  # assessments() raised: the assessments check says so

    def check_offers(self, decision: CompletionDecision, track: Track) -> None:
        """Each next offer names this program and one of its tracks, or a program the plugin
        declared external."""
        tracks = {t.key for t in self.program.tracks}
        for offer in decision.next_offers:
            if offer.program == self.program.key:
                if offer.track is not None and offer.track not in tracks:
                    self.problem(
                        "next_offers",
                        f"completion() offers unknown track {offer.track!r}; offer one of "
                        f"{sorted(tracks)}",
                        track=track.key,
                    )
            elif offer.program not in self.external_programs:
                self.problem(
                    "next_offers",
                    f"completion() offers program {offer.program!r}, which this plugin does not "
                    "register; if another plugin provides it, declare it external "
                    "(ContractTests.external_programs, or check_plugin(external_programs=...))",
                    track=track.key,
                )


def check_program(
    plugin: str,
    program: Program,
    *,
    complete_facts: CompleteFacts | None = None,
    external_programs: Collection[str] = (),
    today: date,
) -> list[Problem]:
    """Every problem of ``program``, registered by ``plugin``."""
    return ProgramChecks(
        plugin,
        program,
        complete_facts=complete_facts,
        external_programs=external_programs,
        today=today,
    ).run()


__all__ = [
    "CompleteFacts",
    "best_passing",
    "check_program",
    "default_complete_facts",
    "minimal_block",
]
