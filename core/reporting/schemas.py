"""Response bodies of the reports API."""

from __future__ import annotations

import msgspec


class CountCell(msgspec.Struct, kw_only=True):
    """A count; ``value`` is None when hidden, and ``display`` says how to show it
    (``"<5"`` under five people, ``"x"`` hidden so that a small one cannot be recovered)."""

    value: int | None
    display: str


class RateCell(msgspec.Struct, kw_only=True):
    """A rate between 0 and 1; None when hidden or undefined (``display`` is then ``"-"``)."""

    value: float | None
    display: str


class ReportRow(msgspec.Struct, kw_only=True):
    """One group's indicators: its dimensions, counts and rates."""

    group: dict[str, str | int | None]
    counts: dict[str, CountCell]
    rates: dict[str, RateCell]


class Report(msgspec.Struct, kw_only=True):
    """An indicator set by the requested dimensions, and its total over every group."""

    indicators: str
    """The indicator set: ``funnel`` or ``learners`` (docs/indicators.md)."""
    group_by: list[str]
    suppressed: bool
    """True when small counts are hidden (the central team's view, funder exports)."""
    rows: list[ReportRow]
    total: ReportRow
