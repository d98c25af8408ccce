"""The funnel report the API serves and the exports write: scope, groupings, suppression.

Admins and site managers (of their own sites) see exact counts, grouped freely. The central
team, which may not see learner-level data, and every funder export get small counts hidden
(``core.reporting.suppression``) and choose among ``FIXED_GROUPINGS``, all computed together
for the same filters so that no grouping uncovers what another hides. Trainers see no report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.auth.roles import Principal, Role
from core.errors import Forbidden, InvalidField, NotFound
from core.reporting.funnel import COUNTS, DIMENSIONS, FunnelFilters, funnel_counts
from core.reporting.schemas import CountCell, FunnelReport, FunnelRow, RateCell
from core.reporting.suppression import DISPLAY, Grouping, Hidden, Key, Lattice, hides_rate

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


def _roll_up(
    finer: Grouping, cells: dict[Key, list[int]], grouping: Grouping
) -> dict[Key, list[int]]:
    """``cells`` of ``finer`` summed into ``grouping``: one list of counts per key."""
    positions = [finer.index(d) for d in grouping]
    rolled: dict[Key, list[int]] = {}
    for key, counts in cells.items():
        target = tuple(key[p] for p in positions)
        total = rolled.get(target)
        if total is None:
            rolled[target] = list(counts)
        else:
            for n, value in enumerate(counts):
                total[n] += value
    return rolled


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
    return await _suppressed_report(filters, grouping)


async def _suppressed_report(filters: FunnelFilters, grouping: Grouping) -> FunnelReport:
    """Every fixed grouping summed from the finest, suppressed together, count by count;
    the rows of ``grouping`` and the total."""
    finest = await funnel_counts(filters, FINEST)
    tables: dict[Grouping, dict[Key, list[int]]] = {
        FINEST: {key: [counts[name] for name in COUNTS] for key, counts in finest.items()}
    }
    for coarser, finer in ROLL_UPS:
        tables[coarser] = _roll_up(finer, tables[finer], coarser)
    tables[()].setdefault((), [0] * len(COUNTS))
    lattice = Lattice({g: tables[g].keys() for g in FIXED_GROUPINGS})
    hidden: dict[tuple[int, int], Hidden] = {}
    for index in range(len(COUNTS)):
        values = [tables[g][key][index] for g, key in lattice.cells]
        for cell, reason in lattice.suppress(values).items():
            hidden[(cell, index)] = reason

    def row(g: Grouping, key: Key) -> FunnelRow:
        cell = lattice.number[(g, key)]
        reasons = {name: hidden.get((cell, n)) for n, name in enumerate(COUNTS)}
        counts = dict(zip(COUNTS, tables[g][key], strict=True))
        return _row(dict(zip(g, key, strict=True)), counts, reasons)

    return FunnelReport(
        group_by=list(grouping),
        suppressed=True,
        rows=[row(grouping, key) for key in _order(list(tables[grouping]))],
        total=row((), ()),
    )
