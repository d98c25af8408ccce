"""Keeping the report facts equal to the raw records, on every write that changes them.

Every service that creates an application, changes its status, cohort, site or track,
stores an eligibility verdict or decides a completion calls ``refresh_applications`` inside
its transaction. The milestones are recomputed from the raw records (the application, its
events, its enrolments' completions), never incremented, so that a refresh is idempotent and
``drifted_applications`` can prove, in the tests, that no write path was forgotten.

The funnel's monthly summary (``FunnelMonth``) follows in the same transaction: each (site,
program, month) an application leaves or joins is summed again from the facts, after its
summary row is locked, so that two transactions changing the same month never write a sum
that misses the other's change. ``drifted_funnel_months`` proves it equal to the facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.engine.postgres import PostgresEngine

from core.applications.pipeline import ApplicationStatus as S
from core.db.instants import as_utc
from core.reporting.tables import ApplicationFact, FunnelMonth

MILESTONES = {
    "admitted": S.ADMITTED,
    "waitlisted": S.WAITLISTED,
    "enrolled": S.ENROLLED,
    "withdrawn": S.WITHDRAWN,
}
"""Funnel milestones an application reached when one of its events moved it there."""

_CERTIFIED_SOURCES: list[str] = []
"""Each program's ``SELECT`` of certified enrolments (``ProgramIndicators.certified``)."""


def use_certifications(sources: Sequence[str]) -> None:
    """Read certificates from the programs' ``sources`` (set when the plugins are bound)."""
    _CERTIFIED_SOURCES[:] = sources


def _raw_query() -> str:
    milestones = ", ".join(
        f"EXISTS (SELECT 1 FROM application_event e WHERE e.application = a.id "
        f"AND e.to_status = '{status.value}') AS {name}"
        for name, status in MILESTONES.items()
    )
    certified = (
        "EXISTS (SELECT 1 FROM enrolment n WHERE n.application = a.id AND n.id IN ("
        + " UNION ".join(_CERTIFIED_SOURCES)
        + "))"
        if _CERTIFIED_SOURCES
        else "1 = 0"
    )
    return (
        "SELECT a.id, a.site, a.program, a.track, a.cohort, a.eligible, a.created_at, "
        f"{milestones}, "
        "EXISTS (SELECT 1 FROM enrolment n JOIN completion c ON c.enrolment = n.id "
        "WHERE n.application = a.id AND c.completed) AS completed, "
        f"{certified} AS certified FROM application a"
    )


_FIELDS = ("site", "program", "track", "cohort", "eligible", *MILESTONES, "completed", "certified")
_FLAGS = (*MILESTONES, "completed", "certified")
SUMMED = ("eligible", *_FLAGS)
"""The funnel summary's counts besides ``applications``: one per yes/no fact."""
MonthKey = tuple[str, str, str]
"""Site, program and month: a row of the funnel summary."""
_SUMMARY_COLUMNS = ("applications", *SUMMED)
_SUMS = ", ".join(
    ["COUNT(*) AS applications", *(f"SUM(CASE WHEN {n} THEN 1 ELSE 0 END) AS {n}" for n in SUMMED)]
)
"""The facts of a group summed into the summary's columns."""


def local_month(instant: datetime, timezone: str) -> str:
    """``YYYY-MM`` of ``instant`` in ``timezone``: the month a site reports it in."""
    return as_utc(instant).astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    facts = {name: row[name] for name in _FIELDS}
    for name in _FLAGS:
        facts[name] = bool(facts[name])
    if facts["eligible"] is not None:
        facts["eligible"] = bool(facts["eligible"])
    return facts


async def _raw(application_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    if application_ids is None:
        return await ApplicationFact.raw(_raw_query())
    ids = sorted(set(application_ids))
    if not ids:
        return []
    placeholders = ", ".join("{}" for _ in ids)
    return await ApplicationFact.raw(f"{_raw_query()} WHERE a.id IN ({placeholders})", *ids)


async def _month_keys(application_ids: list[int]) -> set[MonthKey]:
    if not application_ids:
        return set()
    placeholders = ", ".join("{}" for _ in application_ids)
    rows = await ApplicationFact.raw(
        f"SELECT site, program, month FROM report_application "
        f"WHERE application IN ({placeholders})",
        *application_ids,
    )
    return {(row["site"], row["program"], row["month"]) for row in rows}


async def _sum_months(keys: set[MonthKey]) -> None:
    """Sum the facts of each (site, program, month) again into its summary row, locking the
    rows in order first (PostgreSQL; SQLite runs one writer at a time)."""
    lock = " FOR UPDATE" if isinstance(FunnelMonth._meta.db, PostgresEngine) else ""
    match = "site = {} AND program = {} AND month = {}"
    for key in sorted(keys):
        await FunnelMonth.raw(
            "INSERT INTO report_funnel_month (site, program, month) VALUES ({}, {}, {}) "
            "ON CONFLICT (site, program, month) DO NOTHING",
            *key,
        )
        await FunnelMonth.raw(f"SELECT id FROM report_funnel_month WHERE {match}{lock}", *key)
        [row] = await ApplicationFact.raw(
            f"SELECT {_SUMS} FROM report_application WHERE {match}", *key
        )
        await FunnelMonth.update({name: int(row[name] or 0) for name in _SUMMARY_COLUMNS}).where(
            (FunnelMonth.site == key[0])
            & (FunnelMonth.program == key[1])
            & (FunnelMonth.month == key[2])
        )


async def record_application(application_id: int, created_at: datetime, timezone: str) -> None:
    """Add a new application's facts, its month in its site's zone; inside its transaction."""
    [row] = await _raw([application_id])
    month = local_month(created_at, timezone)
    await ApplicationFact.insert(
        ApplicationFact(application=application_id, month=month, **_facts(row))
    )
    await _sum_months({(row["site"], row["program"], month)})


async def refresh_applications(application_ids: Iterable[int]) -> None:
    """Recompute the facts of existing applications from their raw records; call it inside
    the transaction of the change. An application without facts yet is left to
    ``record_application``."""
    ids = sorted(set(application_ids))
    before = await _month_keys(ids)
    for row in await _raw(ids):
        await ApplicationFact.update(_facts(row)).where(ApplicationFact.application == row["id"])
    await _sum_months(before | await _month_keys(ids))


async def drifted_applications(timezones: Mapping[str, str]) -> list[int]:
    """The applications whose facts are missing or differ from their raw records, months
    taken in the zone of ``timezones[site]``: empty unless a write path forgot a refresh."""
    stored = {
        row["application"]: row
        for row in await ApplicationFact.select(
            ApplicationFact.application,
            ApplicationFact.month,
            *(getattr(ApplicationFact, name) for name in _FIELDS),
        )
    }
    drifted = []
    for row in await _raw(None):
        fact = stored.pop(row["id"], None)
        expected = _facts(row) | {"month": local_month(row["created_at"], timezones[row["site"]])}
        if (
            fact is None
            or {
                name: (bool(fact[name]) if isinstance(expected[name], bool) else fact[name])
                for name in expected
            }
            != expected
        ):
            drifted.append(row["id"])
    return sorted([*drifted, *stored])


FILL_FUNNEL_MONTHS = (
    f"INSERT INTO report_funnel_month (site, program, month, {', '.join(_SUMMARY_COLUMNS)}) "
    f"SELECT site, program, month, {_SUMS} FROM report_application GROUP BY site, program, month"
)
"""Sums the whole funnel summary from the facts, into an empty summary (after a bulk load)."""


async def drifted_funnel_months() -> list[MonthKey]:
    """The (site, program, month) whose summary differs from the facts summed: empty unless
    a write changed facts without summing them again."""
    expected = {
        (row["site"], row["program"], row["month"]): tuple(int(row[n]) for n in _SUMMARY_COLUMNS)
        for row in await ApplicationFact.raw(
            f"SELECT site, program, month, {_SUMS} FROM report_application "
            "GROUP BY site, program, month"
        )
    }
    stored = {
        (row["site"], row["program"], row["month"]): tuple(row[n] for n in _SUMMARY_COLUMNS)
        for row in await FunnelMonth.select().where(FunnelMonth.applications > 0)
    }
    return sorted(
        key for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key)
    )
