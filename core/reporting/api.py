"""The reports API: the funnel and the learners' indicators across sites, as JSON and as
funder exports (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from core.auth.access import REPORTS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.errors import NotFound
from core.reporting.aggregates import ReportFilters
from core.reporting.exports import report_csv, report_xlsx
from core.reporting.indicator_sets import FUNNEL, LEARNERS, IndicatorSet
from core.reporting.program_sets import program_sets
from core.reporting.schemas import Report
from core.reporting.service import report
from core.runtime import Runtime

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

By = Annotated[list[str] | None, QueryParameter(max_items=5)]
FromMonth = Annotated[str | None, QueryParameter(name="from", pattern=MONTH)]
ToMonth = Annotated[str | None, QueryParameter(name="to", pattern=MONTH)]
Sites = Annotated[list[str] | None, QueryParameter(max_items=100)]
Code = Annotated[str | None, QueryParameter(max_length=40)]
CohortId = Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)]
ProgramKey = Annotated[str, PathParameter(max_length=40)]


def _today(runtime: Runtime) -> date:
    """The report's day, by the app's clock (UTC)."""
    return runtime.clock.now().date()


def _program_set(runtime: Runtime, program: str) -> IndicatorSet:
    found = program_sets(runtime.host).get(program)
    if found is None:
        raise NotFound(f"no indicators of a program {program!r}", field="program")
    return found


def _filters(
    from_month: str | None,
    to_month: str | None,
    site: list[str] | None,
    program: str | None,
    track: str | None = None,
    cohort: int | None = None,
) -> ReportFilters:
    return ReportFilters(
        from_month=from_month,
        to_month=to_month,
        sites=tuple(site) if site else None,
        program=program,
        track=track,
        cohort=cohort,
    )


async def _export(
    principal: Principal,
    today: date,
    indicators: IndicatorSet,
    kind: str,
    by: list[str] | None,
    filters: ReportFilters,
) -> Response[bytes]:
    found = await report(principal, indicators, filters, by or [], today=today, for_funders=True)
    if kind == "csv":
        content, media_type = report_csv(found, indicators), "text/csv; charset=utf-8"
    else:
        content, media_type = report_xlsx(found, indicators), XLSX
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{indicators.key}.{kind}"'},
    )


class ReportController(Controller):
    """Indicators aggregated over the sites the caller reaches (docs/indicators.md).

    ``by`` repeats (site, program, track, cohort, month); ``from`` and ``to`` are months
    (``YYYY-MM``, inclusive). Exports are always suppressed and take the fixed groupings.
    """

    opt = access(REPORTS)

    path = "/api/v1/reports"
    tags = ["reports"]

    @get("/funnel", operation_id="getFunnel")
    async def funnel(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
        track: Code = None,
        cohort: CohortId = None,
    ) -> Report:
        """Applications, eligible, admitted, waitlisted, enrolled, withdrawn and completed,
        with conversion rates, for applications made from month ``from`` to month ``to``."""
        filters = _filters(from_month, to_month, site, program, track, cohort)
        return await report(request.user, FUNNEL, filters, by or [], today=_today(runtime))

    @get("/learners", operation_id="getLearnerIndicators")
    async def learners(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
        track: Code = None,
        cohort: CohortId = None,
    ) -> Report:
        """Learners who entered a cohort starting from month ``from`` to month ``to``: the
        shares of women and of each audience, attendance, completion and dropout rates."""
        filters = _filters(from_month, to_month, site, program, track, cohort)
        return await report(request.user, LEARNERS, filters, by or [], today=_today(runtime))

    @get("/funnel.csv", operation_id="exportFunnelCsv", media_type="text/csv")
    async def funnel_csv(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The funnel for funders, as CSV."""
        filters = _filters(from_month, to_month, site, program)
        return await _export(request.user, _today(runtime), FUNNEL, "csv", by, filters)

    @get("/funnel.xlsx", operation_id="exportFunnelXlsx", media_type=XLSX)
    async def funnel_xlsx(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The funnel for funders: one sheet per indicator and a sheet of definitions."""
        filters = _filters(from_month, to_month, site, program)
        return await _export(request.user, _today(runtime), FUNNEL, "xlsx", by, filters)

    @get("/learners.csv", operation_id="exportLearnerIndicatorsCsv", media_type="text/csv")
    async def learners_csv(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The indicators on learners for funders, as CSV."""
        filters = _filters(from_month, to_month, site, program)
        return await _export(request.user, _today(runtime), LEARNERS, "csv", by, filters)

    @get("/learners.xlsx", operation_id="exportLearnerIndicatorsXlsx", media_type=XLSX)
    async def learners_xlsx(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The indicators on learners for funders: one sheet per indicator, definitions."""
        filters = _filters(from_month, to_month, site, program)
        return await _export(request.user, _today(runtime), LEARNERS, "xlsx", by, filters)

    @get("/programs/{program:str}", operation_id="getProgramIndicators")
    async def program_indicators(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        program: ProgramKey,
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        track: Code = None,
        cohort: CohortId = None,
    ) -> Report:
        """A program's own indicators (its plugin declares them) over its learners who
        entered a cohort starting from month ``from`` to month ``to``."""
        indicators = _program_set(runtime, program)
        filters = _filters(from_month, to_month, site, None, track, cohort)
        return await report(request.user, indicators, filters, by or [], today=_today(runtime))

    @get(
        "/programs/{program:str}/export.csv",
        operation_id="exportProgramIndicatorsCsv",
        media_type="text/csv",
    )
    async def program_indicators_csv(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        program: ProgramKey,
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
    ) -> Response[bytes]:
        """A program's own indicators for funders, as CSV."""
        indicators = _program_set(runtime, program)
        filters = _filters(from_month, to_month, site, None)
        return await _export(request.user, _today(runtime), indicators, "csv", by, filters)

    @get(
        "/programs/{program:str}/export.xlsx",
        operation_id="exportProgramIndicatorsXlsx",
        media_type=XLSX,
    )
    async def program_indicators_xlsx(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        program: ProgramKey,
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
    ) -> Response[bytes]:
        """A program's own indicators for funders: one sheet per indicator, definitions."""
        indicators = _program_set(runtime, program)
        filters = _filters(from_month, to_month, site, None)
        return await _export(request.user, _today(runtime), indicators, "xlsx", by, filters)
