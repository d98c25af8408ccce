"""The reports the API serves and the exports write: scope, groupings, suppression.

Admins and site managers (of their own sites) see exact counts, grouped freely. The central
team, which may not see learner-level data, and every funder export get small counts hidden
(``core.reporting.suppression``) and choose among ``FIXED_GROUPINGS``, all computed together
for the same filters so that no grouping uncovers what another hides. Trainers see no report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from core.auth.roles import Principal, Role
from core.errors import Forbidden, InvalidField, NotFound
from core.reporting.aggregates import DIMENSIONS, ReportFilters, aggregate
from core.reporting.indicator_sets import IndicatorSet
from core.reporting.schemas import CountCell, RateCell, Report, ReportRow
from core.reporting.suppression import DISPLAY, Grouping, Hidden, Key, Lattice, hides_rate

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
ROLL_UPS: tuple[tuple[Grouping, Grouping], ...] = (
    (("site", "program"), FINEST),
    (("site", "month"), FINEST),
    (("program", "month"), FINEST),
    (("site",), ("site", "program")),
    (("program",), ("site", "program")),
    (("month",), ("program", "month")),
    ((), ("site",)),
)
"""Each fixed grouping but the finest, and the finer one it is summed from."""


def is_suppressed_for(principal: Principal) -> bool:
    """True for the central team's viewers, who may not see learner-level data."""
    return principal.role is Role.CENTRAL_VIEWER


def scoped_filters(principal: Principal, filters: ReportFilters) -> ReportFilters:
    """``filters`` narrowed to the caller's sites; NotFound for a site out of reach."""
    if principal.role is Role.TRAINER:
        raise Forbidden("reports are for site managers and the central team")
    if principal.sees_every_site:
        return filters
    if filters.sites is None:
        reach = tuple(sorted(principal.sites))
        values = {name: getattr(filters, name) for name in filters.__struct_fields__}
        return ReportFilters(**{**values, "sites": reach})
    outside = [site for site in filters.sites if site not in principal.sites]
    if outside:
        raise NotFound(f"no site {outside[0]!r}", field="site")
    return filters


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


def _check_suppressed_filters(filters: ReportFilters) -> None:
    for name in ("track", "cohort"):
        if getattr(filters, name) is not None:
            raise InvalidField(
                f"filtering by {name} is for those who may see learner-level data", field=name
            )


def _rate(numerator: int, denominator: int) -> RateCell:
    if not denominator:
        return UNDEFINED
    rate = numerator / denominator
    return RateCell(value=rate, display=f"{round(rate * 100)} %")


UNDEFINED = RateCell(value=None, display="-")
"""A rate hidden, or over nobody."""
HIDDEN_CELLS = {reason: CountCell(value=None, display=DISPLAY[reason]) for reason in Hidden}


def _row(
    indicators: IndicatorSet,
    group: dict[str, Any],
    values: dict[str, int],
    hidden: dict[str, Hidden | None] | None,
) -> ReportRow:
    """A group's cells; ``hidden`` is None for exact figures, else each count's reason."""
    counts = {}
    for name in indicators.counts:
        reason = hidden.get(name) if hidden else None
        value = values[name]
        counts[name] = (
            HIDDEN_CELLS[reason] if reason else CountCell(value=value, display=str(value))
        )
    rates = {}
    for name, rate in indicators.rates.items():
        if hidden is not None and hides_rate(rate, values, hidden):
            rates[name] = UNDEFINED
        else:
            rates[name] = _rate(values[rate.numerator], values[rate.denominator])
    return ReportRow(group=group, counts=counts, rates=rates)


def _roll_up(
    finer: Grouping, cells: dict[Key, list[int]], grouping: Grouping
) -> dict[Key, list[int]]:
    """``cells`` of ``finer`` summed into ``grouping``: one list of values per key."""
    positions = [finer.index(d) for d in grouping]
    rolled: dict[Key, list[int]] = {}
    for key, values in cells.items():
        target = tuple(key[p] for p in positions)
        total = rolled.get(target)
        if total is None:
            rolled[target] = list(values)
        else:
            for n, value in enumerate(values):
                total[n] += value
    return rolled


def _order(keys: Sequence[Key]) -> list[Key]:
    """Groups in order of their dimensions' values, an unknown (None) value last."""
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=lambda key: tuple((value is None, value) for value in key))


async def report(
    principal: Principal,
    indicators: IndicatorSet,
    filters: ReportFilters,
    group_by: Sequence[str],
    *,
    today: date,
    for_funders: bool = False,
) -> Report:
    """The indicators of the rows ``filters`` select, by ``group_by``, with their total, as
    of ``today``; suppressed for the central team's viewers and whenever ``for_funders``."""
    filters = scoped_filters(principal, filters)
    suppressed = for_funders or is_suppressed_for(principal)
    grouping = _check_grouping(group_by, suppressed)
    if suppressed:
        _check_suppressed_filters(filters)
        return await _suppressed_report(indicators, filters, grouping, today)
    names = [*indicators.counts, *indicators.sums]
    groups = await aggregate(indicators, filters, grouping, today)
    total = (await aggregate(indicators, filters, (), today)).get((), dict.fromkeys(names, 0))
    return Report(
        indicators=indicators.key,
        group_by=list(grouping),
        suppressed=False,
        rows=[
            _row(indicators, dict(zip(grouping, key, strict=True)), groups[key], None)
            for key in _order(list(groups))
        ],
        total=_row(indicators, {}, total, None),
    )


async def _suppressed_report(
    indicators: IndicatorSet, filters: ReportFilters, grouping: Grouping, today: date
) -> Report:
    """Every fixed grouping summed from the finest, suppressed together, count by count;
    the rows of ``grouping`` and the total."""
    names = [*indicators.counts, *indicators.sums]
    finest = await aggregate(indicators, filters, FINEST, today)
    tables: dict[Grouping, dict[Key, list[int]]] = {
        FINEST: {key: [values[name] for name in names] for key, values in finest.items()}
    }
    for coarser, finer in ROLL_UPS:
        tables[coarser] = _roll_up(finer, tables[finer], coarser)
    tables[()].setdefault((), [0] * len(names))
    lattice = Lattice({g: tables[g].keys() for g in FIXED_GROUPINGS})
    cell_values = [tables[g][key] for g, key in lattice.cells]
    hidden = {
        name: lattice.suppress([values[index] for values in cell_values])
        for index, name in enumerate(indicators.counts)
    }

    def row(g: Grouping, key: Key) -> ReportRow:
        cell = lattice.numbers[g][key]
        reasons = {name: hidden[name].get(cell) for name in indicators.counts}
        values = dict(zip(names, tables[g][key], strict=True))
        return _row(indicators, dict(zip(g, key, strict=True)), values, reasons)

    return Report(
        indicators=indicators.key,
        group_by=list(grouping),
        suppressed=True,
        rows=[row(grouping, key) for key in _order(list(tables[grouping]))],
        total=row((), ()),
    )
