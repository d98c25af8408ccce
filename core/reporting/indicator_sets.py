"""The indicator sets the reports serve: which fact table, which rows, which counts and rates.

A count is a number of people (applications, learners) and is suppressed when small; a sum
(minutes) is never shown, only used in a rate. A rate is hidden when one of its ``people``
counts is small or hidden. Every name here has one definition in docs/indicators.md and,
in French, in ``core.reporting.definitions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.applications.pipeline import ApplicationStatus as S
from core.outcomes.rules import POSITIVE, OutcomeStatus
from core.reporting import definitions

TOOK_A_PLACE = ("enrolled", "withdrawn", "transferred")
"""Enrolment statuses of people who had a place in the cohort."""


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate: numerator over denominator, hidden when a ``people`` count is small or hidden."""

    numerator: str
    denominator: str
    people: tuple[str, ...] = ()

    @property
    def people_counts(self) -> tuple[str, ...]:
        """The counts of people the rate could give away."""
        return self.people or (self.numerator, self.denominator)


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    """One report: its fact table, the rows it counts, and its counts, sums and rates."""

    key: str
    table: str
    population: str
    """A SQL condition on the fact table's columns; empty for every row."""
    counts: dict[str, str]
    """People counted: name -> the SQL condition a row meets to count; ``:today`` in it
    stands for the report's day."""
    rates: dict[str, Rate]
    definitions: Mapping[str, tuple[str, str]]
    """Each count and rate shown: name -> its French title and definition, for exports."""
    sums: dict[str, str] = field(default_factory=dict)
    """Not people: name -> the SQL expression summed (used in rates only)."""
    summary: str | None = None
    """A table of the counts already summed by site, program and month (a column per
    count, kept on write), read instead of the facts when a report needs no finer."""

    @property
    def shown(self) -> tuple[str, ...]:
        """What a report shows, in order: the counts, then the rates."""
        return (*self.counts, *self.rates)


FUNNEL = IndicatorSet(
    key="funnel",
    table="report_application",
    population="",
    counts={
        "applications": "1 = 1",
        "eligible": "eligible",
        "admitted": "admitted",
        "waitlisted": "waitlisted",
        "enrolled": "enrolled",
        "withdrawn": "withdrawn",
        "completed": "completed",
        "certified": "certified",
    },
    rates={
        "eligibility_rate": Rate("eligible", "applications"),
        "admission_rate": Rate("admitted", "eligible"),
        "enrolment_rate": Rate("enrolled", "admitted"),
        "completion_rate": Rate("completed", "enrolled"),
    },
    definitions=definitions.FUNNEL,
    summary="report_funnel_month",
)
"""Applications, by the month they were made, and the milestones they reached."""


def _follow_up(months: int) -> list[tuple[str, str]]:
    """Exits whose follow-up ``months`` after is due, those reached, those positive (O1, O2)."""
    due = f"follow_up_{months} <= :today"
    positive = ", ".join(f"'{status.value}'" for status in sorted(POSITIVE))
    return [
        (f"exits_{months}", due),
        (f"known_{months}", f"{due} AND outcome_{months} <> '{OutcomeStatus.UNKNOWN.value}'"),
        (f"positive_{months}", f"{due} AND outcome_{months} IN ({positive})"),
    ]


LEARNERS = IndicatorSet(
    key="learners",
    table="report_enrolment",
    population=f"entered AND status IN ({', '.join(repr(s) for s in TOOK_A_PLACE)})",
    counts={
        "entered": "1 = 1",
        "women": "woman",
        "qpv": "qpv",
        "qpv_known": "qpv IS NOT NULL",
        "low_qualified": "low_qualified",
        "low_qualified_known": "low_qualified IS NOT NULL",
        "job_seekers": "job_seeker",
        "job_seekers_known": "job_seeker IS NOT NULL",
        "refugees": "refugee",
        "refugees_known": "refugee IS NOT NULL",
        "under_26": "under_26",
        "under_26_known": "under_26 IS NOT NULL",
        "completed": "completed",
        "dropped_out": f"status = '{S.WITHDRAWN.value}'",
        **{name: condition for months in (3, 6) for name, condition in _follow_up(months)},
    },
    sums={"attended_minutes": "attended_minutes", "scheduled_minutes": "scheduled_minutes"},
    rates={
        "women_share": Rate("women", "entered"),
        "qpv_share": Rate("qpv", "qpv_known"),
        "low_qualified_share": Rate("low_qualified", "low_qualified_known"),
        "job_seekers_share": Rate("job_seekers", "job_seekers_known"),
        "refugees_share": Rate("refugees", "refugees_known"),
        "under_26_share": Rate("under_26", "under_26_known"),
        "attendance_rate": Rate("attended_minutes", "scheduled_minutes", people=("entered",)),
        "completion_rate": Rate("completed", "entered"),
        "dropout_rate": Rate("dropped_out", "entered"),
        "positive_rate_3": Rate("positive_3", "known_3"),
        "positive_rate_3_all": Rate("positive_3", "exits_3"),
        "positive_rate_6": Rate("positive_6", "known_6"),
        "positive_rate_6_all": Rate("positive_6", "exits_6"),
    },
    definitions=definitions.LEARNERS,
)
"""Learners who entered a cohort (attended at least one session), by the cohort's start month."""

SETS = {indicators.key: indicators for indicators in (FUNNEL, LEARNERS)}
"""Core's reports; each program's own are ``core.reporting.program_sets``."""
