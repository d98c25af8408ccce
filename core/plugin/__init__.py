"""The public surface that core offers to plugins.

A plugin imports from this package only: here, the ``hookimpl`` marker, the ``Program``
protocol its program objects satisfy, the frozen value types that travel
between core and programs, and a few pure helpers that programs share (the
attendance check and its French sentence, the cutting of units into sessions).
Everything here is data or a pure function of it; core does the I/O.
``core.plugin.services`` gives a plugin's routes core's scope checks, audit trail and
records; ``core.plugin.tables`` names core's tables for a plugin's foreign keys.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Protocol, runtime_checkable

import msgspec
import pluggy

from core.db.limits import ID_MAX

PROJECT_NAME = "essaim"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations: ``@hookimpl def essaim_register_programs(): ...``."""

Key = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
"""A machine key: lowercase letters, digits and underscores, 2 to 32 characters."""

_HOURS_TOLERANCE = 1e-9
"""Hours by which attendance may fall short of a threshold and still meet it.

``0.8 * 3`` is ``2.4000000000000004`` in floating point, so a learner who attended
exactly 2.4 h of 3 h would be refused at 80 % without it. A billionth of an hour
(3.6 microseconds) is far below anything an attendance record can hold.
"""


class CefrLevel(enum.StrEnum):
    """A French level on the Common European Framework scale, ordered A1 < ... < C2."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        """Position on the scale, so that levels compare: ``A2.rank < B1.rank``."""
        return list(CefrLevel).index(self)

    def at_least(self, other: CefrLevel) -> bool:
        """True when this level is ``other`` or above."""
        return self.rank >= other.rank


class Track(msgspec.Struct, frozen=True, kw_only=True):
    """A track (parcours, niveau) of a program, such as DIGITAL's beginner level."""

    key: Key
    title: str
    hours: int
    summary: str = ""
    requirements: str = ""
    """What a person needs to join the track, in plain French for applicants (shown on the
    public application page before the form); empty when only core's rules apply."""


class Unit(msgspec.Struct, frozen=True, kw_only=True):
    """One unit of a track's curriculum, with its hours and learning outcomes."""

    key: Key
    track: str
    title: str
    hours: float
    outcomes: tuple[str, ...] = ()


class AssessmentKind(enum.StrEnum):
    """What an assessment checks, so that screens and reports group them."""

    UNIT = "unit"
    """The check at the end of a curriculum unit."""
    EXERCISE = "exercise"
    """A graded exercise, such as a week's exercises."""
    CHECKPOINT = "checkpoint"
    """A module's checkpoint on a scale of levels (DIGITOUS's four levels, say)."""
    FINAL = "final"
    """The final exercise or assessment of the track."""
    DELIVERABLE = "deliverable"
    """Something the learner hands in, recorded as text (a website's address)."""
    EVALUATION = "evaluation"
    """An evaluation by someone outside the training team (a company tutor)."""


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    """An assessment a program records for the learners of a track.

    ``scale`` lists the values a result may take, lowest first; a result outside it is
    refused. ``passing`` are those that count as passed. A deliverable has no scale: its
    result is free text (an address), which core keeps apart as personal data.
    """

    key: Key
    title: str
    kind: AssessmentKind
    scale: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    unit: str | None = None
    """The curriculum unit it closes, if any."""
    program_only: bool = False
    """Recorded only through the program's own routes, which check what core cannot (a
    placement's signed agreement, a reviewed website); core's assessment route refuses it."""

    def __post_init__(self) -> None:
        if not set(self.passing) <= set(self.scale):
            raise ValueError(f"assessment {self.key!r}: passing values must be on its scale")
        if (self.kind is AssessmentKind.DELIVERABLE) == bool(self.scale):
            raise ValueError(
                f"assessment {self.key!r}: a deliverable has no scale, every other kind has one"
            )


DONE_SCALE = ("not_done", "done")
"""The scale of an exercise that is either done or not."""


class ProgramSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What every program's per-site settings hold; a program's schema subclasses it.

    A subclass adds the program's own fields and keeps ``frozen`` and
    ``forbid_unknown_fields``, so that a typo in a site file is an error.
    """

    tracks: Annotated[tuple[str, ...], msgspec.Meta(min_length=1)]
    capacity: Annotated[int, msgspec.Meta(ge=1, le=200)]
    attendance_threshold: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.8
    """The share of the planned hours a learner attends to complete (0.8 for 80 %); core
    flags a learner who can no longer reach it."""
    excused_absences_count: bool = False
    """Whether an excused absence counts as attended time toward the threshold."""
    priority_neighbourhood_target: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    """The share of residents of priority neighbourhoods (QPV) a local funder asks for in each
    cohort (0.3 for 30 %); shown on the roster with a warning under it, never refusing anyone."""


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One eligibility finding: the rule it applies, whether it holds, and why in plain French."""

    rule: str
    ok: bool
    reason: str
    referral: str | None = None


class AdmissionStep(msgspec.Struct, frozen=True, kw_only=True):
    """A step an applicant goes through before admission, such as a placement test."""

    key: Key
    title: str
    kind: str = "placement_test"


class EligibilityFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What a program is told about a person when it decides on eligibility.

    ``completions`` and ``passed_placements`` hold ``(program_key, track_key)`` pairs,
    so that a program can admit the completers of another. ``language_partners`` names the
    site's partners of kind ``language`` (French courses), for a referral that names them;
    ``settings`` are the site's validated settings for the program, when core knows the site.
    """

    track: str
    cohort_start: date
    birth_date: date | None = None
    french_level: CefrLevel | None = None
    completions: frozenset[tuple[str, str]] = frozenset()
    passed_placements: frozenset[tuple[str, str]] = frozenset()
    language_partners: tuple[str, ...] = ()
    settings: ProgramSettings | None = None


class CohortFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What a program is told about a cohort when it plans its sessions."""

    track: str
    starts_on: date
    ends_on: date
    capacity: int
    settings: ProgramSettings


class PlannedSession(msgspec.Struct, frozen=True, kw_only=True):
    """A session of the plan, in order; core places it on a real date and time."""

    sequence: int
    unit: str
    title: str
    minutes: int


def plan_sessions(units: Iterable[Unit], minutes: int) -> tuple[PlannedSession, ...]:
    """Cut ``units``, in their order, into sessions of ``minutes``, numbered from 1.

    A session never mixes two units, so that attendance and trainers follow the
    curriculum: a unit's last session is shorter when its length is not a multiple of
    ``minutes``. A unit cut in several sessions numbers them in their titles,
    ``"La souris (1/3)"``; a unit of one session keeps its title. A unit of no hours has
    no session. ValueError when ``minutes`` is not positive.
    """
    if minutes <= 0:
        raise ValueError(f"sessions must last at least one minute, not {minutes}")
    sessions: list[PlannedSession] = []
    for unit in units:
        total = round(unit.hours * 60)
        parts = math.ceil(total / minutes)
        for part in range(parts):
            sessions.append(
                PlannedSession(
                    sequence=len(sessions) + 1,
                    unit=unit.key,
                    title=unit.title if parts == 1 else f"{unit.title} ({part + 1}/{parts})",
                    minutes=min(minutes, total - part * minutes),
                )
            )
    return tuple(sessions)


class CompletionFacts(msgspec.Struct, frozen=True, kw_only=True):
    """A snapshot of a learner's record in one cohort, on which completion is decided."""

    track: str
    scheduled_hours: float
    attended_hours: float
    results: Mapping[str, str] = msgspec.field(default_factory=dict)
    """The latest result of each assessment on a scale, by assessment key."""
    deliverables: Mapping[str, str] = msgspec.field(default_factory=dict)
    """The latest text of each deliverable handed in, by assessment key."""
    settings: ProgramSettings | None = None

    @property
    def attendance_rate(self) -> float:
        """Attended hours over scheduled hours (``0.8`` for 80 %); 0 when none are scheduled."""
        if self.scheduled_hours > 0:
            return self.attended_hours / self.scheduled_hours
        return 0.0

    def meets_attendance(self, threshold: float) -> bool:
        """True when the learner attended at least ``threshold`` (``0.8`` for 80 %) of the hours.

        Exactly at the threshold meets it, despite float rounding: the comparison allows
        a billionth of an hour, so 2.4 h of 3 h meets 80 %. No scheduled hours never meets
        it, whatever the threshold.
        """
        return (
            self.scheduled_hours > 0
            and self.attended_hours + _HOURS_TOLERANCE >= threshold * self.scheduled_hours
        )


def attendance_reason(facts: CompletionFacts, threshold: float) -> str:
    """The attendance line of a completion decision, in plain French, whether met or not.

    ``"Vous avez suivi 15,9 h sur 20 h (79 %). Il faut au moins 80 %."``: hours with a
    decimal comma and no trailing zeros, the share rounded down to a whole percent (so that
    79.9 % never reads as the 80 % it misses), 0 % when no hours are scheduled, and the
    threshold as a whole percent.
    """
    # 2.9 / 5 * 100 is 57.99999999999999 in floating point: rounding to 6 places before
    # rounding down keeps it at 58 %.
    share = math.floor(round(facts.attendance_rate * 100, 6))
    return (
        f"Vous avez suivi {_french_hours(facts.attended_hours)} h "
        f"sur {_french_hours(facts.scheduled_hours)} h ({share} %). "
        f"Il faut au moins {round(threshold * 100)} %."
    )


def attendance_finding(facts: CompletionFacts, threshold: float, rule: str) -> Finding:
    """The attendance finding of a completion decision under ``rule``: whether ``facts``
    meet ``threshold``, and :func:`attendance_reason`'s sentence with the figures."""
    return Finding(
        rule=rule, ok=facts.meets_attendance(threshold), reason=attendance_reason(facts, threshold)
    )


def _french_hours(value: float) -> str:
    """``15.9`` as ``"15,9"`` and ``16.0`` as ``"16"``."""
    return f"{value:g}".replace(".", ",")


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    """What a completer is offered next: a program and, where it has them, a track."""

    program: str
    track: str | None = None


class CompletionDecision(msgspec.Struct, frozen=True, kw_only=True):
    """The program's verdict on completion: a finding per rule, with its figures in plain
    French, and what a completer is offered next."""

    completed: bool
    findings: tuple[Finding, ...] = ()
    next_offers: tuple[Offer, ...] = ()


class SiteInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What a plugin is told about a site: its identity and its validated program settings."""

    slug: str
    name: str
    timezone: str
    programs: Mapping[str, ProgramSettings]


class DemoCohort(msgspec.Struct, frozen=True, kw_only=True):
    """A cohort the demo creates at a site, as a program proposes it."""

    program: str
    track: str
    title: str
    starts_on: date
    ends_on: date
    capacity: int


class PersonalKind(enum.StrEnum):
    """What kind of personal data a column holds, for export and erasure."""

    IDENTITY = "identity"
    """Names, birth dates, document numbers."""
    CONTACT = "contact"
    """Addresses, phone numbers, e-mail addresses."""
    FREE_TEXT = "free_text"
    """Text typed about a person: comments, evaluations, objectives."""
    LINK = "link"
    """An address or repository that may name the person."""


class PersonalColumn(msgspec.Struct, frozen=True, kw_only=True):
    """A column of a plugin's table that holds personal data about a learner.

    ``learner`` names the column of the same table that leads to the learner: a foreign
    key to core's learner, or to core's enrolment (see ``core.plugin.tables``).
    """

    table: str
    """The table's name in the database (``Table._meta.tablename``)."""
    column: str
    kind: PersonalKind
    learner: str


class NoPersonalData(msgspec.Struct, frozen=True, kw_only=True):
    """A table of a plugin that is linked to a learner but holds no personal data.

    Returned from ``essaim_personal_data`` next to the ``PersonalColumn`` declarations, so
    that a table with text columns and a foreign key to a learner or an enrolment says so
    explicitly instead of being forgotten: the contract test kit refuses a table that
    declares neither.
    """

    table: str
    """The table's name in the database (``Table._meta.tablename``)."""
    reason: str
    """Why its text columns hold nothing personal (``"status code words only"``)."""


INDICATOR_NAME = r"^[a-z][a-z0-9_]{1,39}$"
"""An indicator's name: it becomes a column of the report and of its exports."""
COUNTED_ENROLMENT = ":enrolment"
"""In an indicator's SQL condition, the id of the enrolment being counted."""


class ProgramCount(msgspec.Struct, frozen=True, kw_only=True):
    """A number of people a program reports on: its learners whose enrolment meets
    ``condition``, counted like core's counts (small ones suppressed)."""

    name: Annotated[str, msgspec.Meta(pattern=INDICATOR_NAME)]
    title: str
    """In French, as a funder reads it in an export (``"Personnes certifiées"``)."""
    definition: str
    """In French, one or two sentences: who is counted."""
    condition: str
    """A SQL condition, the same on SQLite and PostgreSQL, over the program's own tables;
    ``:enrolment`` stands for the counted enrolment's id (``EXISTS (SELECT 1 FROM
    acme_badge b WHERE b.enrolment = :enrolment)``)."""


class ProgramRate(msgspec.Struct, frozen=True, kw_only=True):
    """A rate between two counts of the program (or core's ``entered`` and ``completed``);
    hidden where one of them is small."""

    name: Annotated[str, msgspec.Meta(pattern=INDICATOR_NAME)]
    title: str
    definition: str
    numerator: str
    denominator: str


class ProgramIndicators(msgspec.Struct, frozen=True, kw_only=True):
    """The indicators a program adds to the reports, over its learners who entered a
    cohort (core counts them as ``entered``, and those who completed as ``completed``).

    They are served by ``GET /api/v1/reports/programs/{program}`` and its exports, with the
    same filters, groupings, scope and small-count suppression as core's reports.
    """

    program: str
    """The key of a program the plugin registers."""
    counts: tuple[ProgramCount, ...]
    rates: tuple[ProgramRate, ...] = ()
    tracks: tuple[str, ...] = ()
    """The tracks whose learners are counted; empty for every track of the program."""
    certified: str | None = None
    """A SQL ``SELECT`` of the ids of the program's enrolments whose learner was certified
    (an outside certificate recorded by the plugin), feeding the funnel's ``certified``;
    the plugin calls ``core.plugin.services.certification_changed`` when it records one."""


class CohortChanged(msgspec.Struct, frozen=True, kw_only=True):
    """Event: a cohort was created or changed. Ids only, never personal data."""

    action: str
    cohort_id: int
    site: str
    program: str
    track: str


@runtime_checkable
class Program(Protocol):
    """A training program, as a plugin registers it.

    Core owns the records and asks the program that owns a cohort (found by
    ``key``) at every decision point. Methods are pure: they get facts and
    return decisions, they never touch the database.
    """

    key: str
    title: str
    summary: str
    tracks: tuple[Track, ...]
    curriculum: tuple[Unit, ...]
    settings_schema: type[ProgramSettings]

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        """The program's own findings on a person for one of its tracks (core checks age)."""
        ...

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        """The steps an applicant to ``track`` takes before admission."""
        ...

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        """The cohort's sessions in order, each with its unit and length."""
        ...

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        """The assessments recorded for the learners of ``track``, in the order taught."""
        ...

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        """Whether the learner completed, why, and what they are offered next."""
        ...


__all__ = [
    "COUNTED_ENROLMENT",
    "DONE_SCALE",
    "ID_MAX",
    "AdmissionStep",
    "Assessment",
    "AssessmentKind",
    "CefrLevel",
    "CohortChanged",
    "CohortFacts",
    "CompletionDecision",
    "CompletionFacts",
    "DemoCohort",
    "EligibilityFacts",
    "Finding",
    "Key",
    "NoPersonalData",
    "Offer",
    "PersonalColumn",
    "PersonalKind",
    "PlannedSession",
    "Program",
    "ProgramCount",
    "ProgramIndicators",
    "ProgramRate",
    "ProgramSettings",
    "SiteInfo",
    "Track",
    "Unit",
    "attendance_finding",
    "attendance_reason",
    "hookimpl",
    "plan_sessions",
]
