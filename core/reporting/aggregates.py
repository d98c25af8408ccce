"""Indicators in SQL: one aggregation over an indicator set's fact table, per group.

The same statement on SQLite and PostgreSQL, over indexed columns. Dimensions, filters and
expressions are names and conditions of this package, never the caller's text; every value
travels as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from core.reporting.indicator_sets import IndicatorSet
from core.reporting.tables import ApplicationFact

DIMENSIONS = ("site", "program", "track", "cohort", "month")
"""What a report can be grouped and filtered by."""


class ReportFilters(msgspec.Struct, frozen=True, kw_only=True):
    """Which rows a report counts: of months between two, at some sites, of a program..."""

    from_month: str | None = None
    to_month: str | None = None
    sites: tuple[str, ...] | None = None
    """None: every site; an empty tuple: none (a caller who reaches no site)."""
    program: str | None = None
    track: str | None = None
    cohort: int | None = None


def _where(filters: ReportFilters, population: str) -> tuple[str, list[Any]]:
    clauses: list[str] = [f"({population})"] if population else []
    values: list[Any] = []
    if filters.from_month is not None:
        clauses.append("month >= {}")
        values.append(filters.from_month)
    if filters.to_month is not None:
        clauses.append("month <= {}")
        values.append(filters.to_month)
    if filters.sites is not None:
        if not filters.sites:
            clauses.append("1 = 0")
        else:
            clauses.append(f"site IN ({', '.join('{}' for _ in filters.sites)})")
            values.extend(filters.sites)
    for name in ("program", "track", "cohort"):
        value = getattr(filters, name)
        if value is not None:
            clauses.append(f"{name} = {{}}")
            values.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), values


SUMMARY_DIMENSIONS = frozenset({"site", "program", "month"})
"""What a set's ``summary`` table is keyed by."""


def _from_summary(
    indicators: IndicatorSet, filters: ReportFilters, group_by: Sequence[str]
) -> bool:
    """True when the set's summary holds what the report asks: no track, no cohort."""
    return (
        indicators.summary is not None
        and filters.track is None
        and filters.cohort is None
        and SUMMARY_DIMENSIONS.issuperset(group_by)
    )


def _measures(indicators: IndicatorSet, today: date, summed: bool) -> tuple[str, list[str]]:
    """The row count and each measure, over the facts or over the summary's columns."""
    if summed:
        rows = f"SUM({next(iter(indicators.counts))})"
        counts = [f"SUM({name}) AS {name}" for name in indicators.counts]
    else:
        rows = "COUNT(*)"
        counts = [
            f"SUM(CASE WHEN {condition.replace(':today', repr(today.isoformat()))} "
            f"THEN 1 ELSE 0 END) AS {name}"
            for name, condition in indicators.counts.items()
        ]
    sums = [f"SUM({expression}) AS {name}" for name, expression in indicators.sums.items()]
    return rows, [*counts, *sums]


async def aggregate(
    indicators: IndicatorSet, filters: ReportFilters, group_by: Sequence[str], today: date
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The set's counts and sums for each group of ``group_by`` (dimensions, in that order
    of columns) as of ``today``; only groups with at least one row of the population.

    Read from the set's summary (the first count is then its row count) when the report
    needs nothing finer than site, program and month, else from the facts."""
    unknown = set(group_by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions {sorted(unknown)}")
    summed = _from_summary(indicators, filters, group_by)
    table = indicators.summary if summed else indicators.table
    rows_, measures = _measures(indicators, today, summed)
    columns = ", ".join(group_by)
    where, values = _where(filters, "" if summed else indicators.population)
    select = f"SELECT {columns + ', ' if columns else ''}{rows_} AS rows_, {', '.join(measures)} "
    group = f" GROUP BY {columns}" if columns else ""
    rows = await ApplicationFact.raw(select + f"FROM {table}" + where + group, *values)
    names = [*indicators.counts, *indicators.sums]
    return {
        tuple(row[d] for d in group_by): {name: int(row[name] or 0) for name in names}
        for row in rows
        if row["rows_"]
    }
