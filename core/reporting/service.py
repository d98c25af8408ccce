"""The funnel report the API serves and the exports write: scope, groupings, suppression.

Admins and site managers (of their own sites) see exact counts, grouped freely. The central
team, which may not see learner-level data, and every funder export get small counts hidden
(``core.reporting.suppression``) and choose among ``FIXED_GROUPINGS``, all computed together
for the same filters so that no grouping uncovers what another hides. Trainers see no report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from core.auth.roles import Principal, Role
from core.errors import Forbidden, InvalidField, NotFound
from core.reporting.funnel import COUNTS, DIMENSIONS, FunnelFilters, funnel_counts
from core.reporting.schemas import CountCell, FunnelReport, FunnelRow, RateCell
from core.reporting.suppression import DISPLAY, Grouping, Hidden, Key, hides_rate, suppress

RATES = {
    "eligibility_rate": ("eligible", "applications"),
    "admission_rate": ("admitted", "eligible"),
    "enrolment_rate": ("enrolled", "admitted"),
    "completion_rate": ("completed", "enrolled"),
}
"""Conversion rates between the funnel's steps: numerator, denominator."""

FINEST: Grouping = ("site", "program", "month")
FIXED_GROUPINGS: tuple[Grouping, ...] = (
    (),
    ("site",),
    ("program",),
    ("month",),
    ("site", "program"),
    ("site", "month"),
    ("program", "month"),
    FINEST,
)
"""The groupings offered where counts are suppressed; each is FINEST or a coarsening of it."""


def is_suppressed_for(principal: Principal) -> bool:
    """True for the central team's viewers, who may not see learner-level data."""
    return principal.role is Role.CENTRAL_VIEWER


def scoped_filters(principal: Principal, filters: FunnelFilters) -> FunnelFilters:
    """``filters`` narrowed to the caller's sites; NotFound for a site out of reach."""
    if principal.role is Role.TRAINER:
        raise Forbidden("reports are for site managers and the central team")
    if principal.sees_every_site:
        return filters
    reach = tuple(sorted(principal.sites))
    if filters.sites is None:
        return FunnelFilters(**{**_as_dict(filters), "sites": reach})
    outside = [site for site in filters.sites if site not in principal.sites]
    if outside:
        raise NotFound(f"no site {outside[0]!r}", field="site")
    return filters


def _as_dict(filters: FunnelFilters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in filters.__struct_fields__}


def _check_grouping(group_by: Sequence[str], suppressed: bool) -> Grouping:
    unknown = [d for d in group_by if d not in DIMENSIONS]
    if unknown or len(set(group_by)) != len(group_by):
        raise InvalidField(
            f"group by distinct dimensions among {', '.join(DIMENSIONS)}", field="by"
        )
    canonical = tuple(d for d in DIMENSIONS if d in group_by)
    if suppressed and canonical not in FIXED_GROUPINGS:
        offered = "; ".join(", ".join(g) or "(total)" for g in FIXED_GROUPINGS)
        raise InvalidField(f"groupings offered with suppression: {offered}", field="by")
    return canonical


def _check_suppressed_filters(filters: FunnelFilters) -> None:
    for name in ("track", "cohort"):
        if getattr(filters, name) is not None:
            raise InvalidField(
                f"filtering by {name} is for those who may see learner-level data", field=name
            )


def _rate(numerator: int | None, denominator: int | None) -> RateCell:
    if numerator is None or not denominator:
        return RateCell(value=None, display="-")
    rate = numerator / denominator
    return RateCell(value=rate, display=f"{round(rate * 100)} %")


def _row(
    group: dict[str, Any], counts: dict[str, int], hidden: dict[str, Hidden | None] | None
) -> FunnelRow:
    """A group's cells; ``hidden`` is None for exact figures, else each count's reason."""
    concealing = hidden or {}
    cells = {
        name: CountCell(value=None, display=DISPLAY[reason])
        if (reason := concealing.get(name))
        else CountCell(value=counts[name], display=str(counts[name]))
        for name in COUNTS
    }
    rates = {}
    for rate, (numerator, denominator) in RATES.items():
        concealed = [concealing.get(numerator), concealing.get(denominator)]
        if hidden is not None and hides_rate(counts[numerator], counts[denominator], concealed):
            rates[rate] = RateCell(value=None, display="-")
        else:
            rates[rate] = _rate(counts[numerator], counts[denominator])
    return FunnelRow(group=group, counts=cells, rates=rates)


def _roll_up(finest: dict[Key, dict[str, int]], grouping: Grouping) -> dict[Key, dict[str, int]]:
    rolled: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for key, counts in finest.items():
        target = rolled[tuple(key[FINEST.index(d)] for d in grouping)]
        for name in COUNTS:
            target[name] += counts[name]
    return dict(rolled)


def _order(keys: Sequence[Key]) -> list[Key]:
    return sorted(keys, key=lambda key: tuple((value is None, str(value)) for value in key))


async def funnel(
    principal: Principal,
    filters: FunnelFilters,
    group_by: Sequence[str],
    *,
    for_funders: bool = False,
) -> FunnelReport:
    """The funnel of the applications ``filters`` select, by ``group_by``, with its total;
    suppressed for the central team's viewers and whenever ``for_funders``."""
    filters = scoped_filters(principal, filters)
    suppressed = for_funders or is_suppressed_for(principal)
    grouping = _check_grouping(group_by, suppressed)
    if not suppressed:
        counts = await funnel_counts(filters, grouping)
        total = (await funnel_counts(filters, ())).get((), dict.fromkeys(COUNTS, 0))
        rows = [
            _row(dict(zip(grouping, key, strict=True)), counts[key], None)
            for key in _order(list(counts))
        ]
        return FunnelReport(
            group_by=list(grouping), suppressed=False, rows=rows, total=_row({}, total, None)
        )
    _check_suppressed_filters(filters)
    finest = await funnel_counts(filters, FINEST)
    tables = {g: _roll_up(finest, g) for g in FIXED_GROUPINGS}
    hidden_by_count = {
        name: suppress({g: {k: c[name] for k, c in cells.items()} for g, cells in tables.items()})
        for name in COUNTS
    }

    def hidden_of(g: Grouping, key: Key) -> dict[str, Hidden | None]:
        return {name: hidden_by_count[name].get((g, key)) for name in COUNTS}

    total = tables[()].get((), dict.fromkeys(COUNTS, 0))
    rows = [
        _row(dict(zip(grouping, key, strict=True)), tables[grouping][key], hidden_of(grouping, key))
        for key in _order(list(tables[grouping]))
    ]
    return FunnelReport(
        group_by=list(grouping),
        suppressed=True,
        rows=rows,
        total=_row({}, total, hidden_of((), ())),
    )
