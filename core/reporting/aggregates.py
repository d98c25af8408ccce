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


async def aggregate(
    indicators: IndicatorSet, filters: ReportFilters, group_by: Sequence[str], today: date
) -> dict[tuple[Any, ...], dict[str, int]]:
    """The set's counts and sums for each group of ``group_by`` (dimensions, in that order
    of columns) as of ``today``; only groups with at least one row of the population."""
    unknown = set(group_by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions {sorted(unknown)}")
    columns = ", ".join(group_by)
    measures = [
        *(f"SUM(CASE WHEN {condition.replace(':today', repr(today.isoformat()))} "
          f"THEN 1 ELSE 0 END) AS {name}" for name, condition in indicators.counts.items()),
        *(f"SUM({expression}) AS {name}" for name, expression in indicators.sums.items()),
    ]  # fmt: skip
    where, values = _where(filters, indicators.population)
    select = f"SELECT {columns + ', ' if columns else ''}COUNT(*) AS rows_, {', '.join(measures)} "
    group = f" GROUP BY {columns}" if columns else ""
    rows = await ApplicationFact.raw(select + f"FROM {indicators.table}" + where + group, *values)
    names = [*indicators.counts, *indicators.sums]
    return {
        tuple(row[d] for d in group_by): {name: int(row[name] or 0) for name in names}
        for row in rows
        if row["rows_"]
    }
