"""The dashboard at ``/central``: the indicators of docs/indicators.md as charts drawn on the
server, a table under each, filters, and the exports with the same filters.

It calls ``core.reporting.service.report`` exactly as the reports API does, with the
signed-in principal, so the reports' rules apply as they are: the central team sees small
counts hidden (``<5``, ``x``, ``-``) and only the fixed groupings; admins see exact counts;
a site manager sees their own sites' exact counts (the service scopes them) and only those
sites in the filter; a trainer is refused (403), as on the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from markupsafe import Markup

from core.auth.access import REPORTS, access, page
from core.auth.roles import Principal
from core.reporting.aggregates import ReportFilters
from core.reporting.indicator_sets import FUNNEL, LEARNERS, IndicatorSet
from core.reporting.program_sets import program_sets
from core.reporting.schemas import CountCell, RateCell, Report, ReportRow
from core.reporting.service import report, scoped_filters
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS
from core.web.dashboard_charts import AUDIENCES, FUNNEL_STEPS, RESULTS, charts, gaps
from core.web.dashboard_form import DashboardForm, check, export_query

ADDRESS = "/central"
Line = tuple[str, str, CountCell | RateCell]
"""An indicator's key, its title and its cell."""


@dataclass(frozen=True, slots=True)
class ProgramPanel:
    """A program's own indicators over the filters: its title, the indicators with their
    French titles (the plugin's) and cells, and the query of its exports."""

    key: str
    title: str
    lines: list[Line]
    exports: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the page shows for one set of filters."""

    funnel: Report
    months: list[tuple[str, CountCell]]
    """Each month of the period (``YYYY-MM``) and its applications."""
    learners: Report
    programs: list[ProgramPanel]
    charts: dict[str, Markup]
    exports: str


def _months(funnel: Report, filters: ReportFilters) -> list[tuple[str, CountCell]]:
    """Every month from the period's first (or the first with an application) to its last,
    with its applications (zero when none was made)."""
    found = {str(row.group["month"]): row.counts["applications"] for row in funnel.rows}
    first = filters.from_month or min(found, default=None)
    last = filters.to_month or max(found, default=None)
    if first is None or last is None:
        return []
    months = []
    year, number = int(first[:4]), int(first[5:])
    while f"{year:04d}-{number:02d}" <= last:
        key = f"{year:04d}-{number:02d}"
        months.append((key, found.get(key, CountCell(value=0, display="0"))))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months


def _program_lines(indicators: IndicatorSet, row: ReportRow) -> list[Line]:
    return [
        (name, indicators.definitions[name][0], row.counts.get(name) or row.rates[name])
        for name in indicators.shown
    ]


async def build(
    runtime: Runtime, user: Principal, filters: ReportFilters, today: date
) -> Dashboard:
    """The dashboard's reports for ``filters``, as ``user`` may see them."""
    funnel = await report(user, FUNNEL, filters, ["month"], today=today)
    learners = await report(user, LEARNERS, filters, ["site"], today=today)
    unprogrammed = msgspec.structs.replace(filters, program=None)
    titles = {program.key: program.title for program in runtime.host.programs()}
    programs = []
    for key, indicators in program_sets(runtime.host).items():
        if filters.program not in (None, key):
            continue
        found = await report(user, indicators, unprogrammed, [], today=today)
        programs.append(
            ProgramPanel(
                key=key,
                title=titles.get(key, key),
                lines=_program_lines(indicators, found.total),
                exports=export_query(unprogrammed),
            )
        )
    months = _months(funnel, filters)
    site_names = {site.slug: site.config.name for site in runtime.sites}
    return Dashboard(
        funnel=funnel,
        months=months,
        learners=learners,
        programs=programs,
        charts=charts(funnel, months, learners, site_names),
        exports=export_query(filters),
    )


class DashboardController(Controller):
    """The dashboard, behind the sign-in, for whoever may read reports."""

    include_in_schema = False
    opt = access(page(REPORTS))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get(ADDRESS)
    async def dashboard(
        self, request: Request[Principal, str, object], runtime: NamedDependency[Runtime]
    ) -> Template:
        """The indicators for the filters of the query; the form again, each error next
        to its field, when a filter is wrong (422)."""
        user = request.user
        scoped_filters(user, ReportFilters())  # a trainer reads no report: the 403 page
        sites = [site for site in runtime.sites if user.can_see_site(site.slug)]
        programs = runtime.host.programs()
        form = DashboardForm.from_query(request.query_params)
        filters = check(form, {s.slug for s in sites}, {p.key for p in programs})
        context = {
            "user": user,
            "form": form,
            "sites": sites,
            "programs": programs,
            "site_names": {site.slug: site.config.name for site in runtime.sites},
            "steps": FUNNEL_STEPS,
            "audiences": AUDIENCES,
            "results": RESULTS,
            "reasons": gaps(),
            "action": ADDRESS,
            "dashboard": None,
        }
        if filters is None:
            return Template("dashboard/central.html", context=context, status_code=422)
        today = runtime.clock.now().date()
        context["dashboard"] = await build(runtime, user, filters, today)
        return Template("dashboard/central.html", context=context)
