"""Checking the report facts against the raw records, and rebuilding them when they differ.

The facts and the funnel's monthly summary are kept on every write, the summary by
increments (``core.reporting.facts``): a summary or a fact changed by hand stays wrong until
rebuilt. ``essaim reports check`` says what differs; ``essaim reports rebuild`` computes every
fact and sum again from the raw records, in one transaction that holds writers of the facts
back meanwhile (PostgreSQL; SQLite has one writer at a time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from piccolo.engine.postgres import PostgresEngine

from core.reporting.enrolment_facts import drifted_cohorts, rebuild_cohorts
from core.reporting.facts import (
    MonthKey,
    drifted_applications,
    drifted_funnel_months,
    rebuild_applications,
)
from core.reporting.tables import ApplicationFact


@dataclass(frozen=True, slots=True)
class Drift:
    """What differs from the raw records: empty when the facts are true."""

    applications: list[int]
    months: list[MonthKey]
    cohorts: list[int]

    def __bool__(self) -> bool:
        return bool(self.applications or self.months or self.cohorts)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What a rebuild found, and how many facts it wrote."""

    found: Drift
    applications: int
    enrolments: int


async def drift(timezones: Mapping[str, str]) -> Drift:
    """The applications, summary months and cohorts whose facts differ from the raw records;
    months in the zone of ``timezones[site]``."""
    return Drift(
        applications=await drifted_applications(timezones),
        months=await drifted_funnel_months(),
        cohorts=await drifted_cohorts(),
    )


async def rebuild(
    timezones: Mapping[str, str], progress: Callable[[int], None] = lambda done: None
) -> Rebuilt:
    """Compute every report fact and the funnel summary again from the raw records, in one
    transaction; ``progress`` hears of the applications, then the cohorts, done slice by
    slice (``rebuild_size`` counts them all)."""
    db = ApplicationFact._meta.db
    async with db.transaction():
        if isinstance(db, PostgresEngine):
            await ApplicationFact.raw(
                "LOCK TABLE report_application, report_funnel_month, report_enrolment "
                "IN EXCLUSIVE MODE"
            )
        found = await drift(timezones)
        applications = await rebuild_applications(timezones, progress)
        enrolments = await rebuild_cohorts(progress)
    return Rebuilt(found=found, applications=applications, enrolments=enrolments)


async def rebuild_size() -> int:
    """The applications and cohorts a rebuild goes through: its progress's whole."""
    [row] = await ApplicationFact.raw(
        "SELECT (SELECT COUNT(*) FROM application) + (SELECT COUNT(*) FROM cohort) AS total"
    )
    return int(row["total"])
