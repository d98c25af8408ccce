"""The reports API: the funnel across sites, as JSON and as funder exports (CSV, XLSX)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from core.auth.roles import Principal
from core.reporting import service
from core.reporting.exports import funnel_csv, funnel_xlsx
from core.reporting.funnel import FunnelFilters
from core.reporting.schemas import FunnelReport

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

By = Annotated[list[str] | None, QueryParameter(max_items=5)]
FromMonth = Annotated[str | None, QueryParameter(name="from", pattern=MONTH)]
ToMonth = Annotated[str | None, QueryParameter(name="to", pattern=MONTH)]
Sites = Annotated[list[str] | None, QueryParameter(max_items=100)]
Code = Annotated[str | None, QueryParameter(max_length=40)]
CohortId = Annotated[int | None, QueryParameter(ge=1)]


def _filters(
    from_month: str | None,
    to_month: str | None,
    site: list[str] | None,
    program: str | None,
    track: str | None,
    cohort: int | None,
) -> FunnelFilters:
    return FunnelFilters(
        from_month=from_month,
        to_month=to_month,
        sites=tuple(site) if site else None,
        program=program,
        track=track,
        cohort=cohort,
    )


def _download(content: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class ReportController(Controller):
    """Indicators aggregated over the sites the caller reaches (docs/indicators.md)."""

    path = "/api/v1/reports"
    tags = ["reports"]

    @get("/funnel", operation_id="getFunnel")
    async def funnel(
        self,
        request: Request[Principal, str, object],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
        track: Code = None,
        cohort: CohortId = None,
    ) -> FunnelReport:
        """Applications, eligible, admitted, waitlisted, enrolled, withdrawn and completed,
        with conversion rates, by the dimensions of ``by`` (site, program, track, cohort,
        month), for applications made from month ``from`` to month ``to``."""
        filters = _filters(from_month, to_month, site, program, track, cohort)
        return await service.funnel(request.user, filters, by or [])

    @get("/funnel.csv", operation_id="exportFunnelCsv", media_type="text/csv")
    async def funnel_csv(
        self,
        request: Request[Principal, str, object],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The funnel for funders, as CSV: small counts always hidden, fixed groupings."""
        filters = _filters(from_month, to_month, site, program, None, None)
        report = await service.funnel(request.user, filters, by or [], for_funders=True)
        return _download(funnel_csv(report), "text/csv; charset=utf-8", "entonnoir.csv")

    @get("/funnel.xlsx", operation_id="exportFunnelXlsx", media_type=XLSX)
    async def funnel_xlsx(
        self,
        request: Request[Principal, str, object],
        by: By = None,
        from_month: FromMonth = None,
        to_month: ToMonth = None,
        site: Sites = None,
        program: Code = None,
    ) -> Response[bytes]:
        """The funnel for funders, as a workbook: one sheet per indicator and a sheet of
        definitions; small counts always hidden, fixed groupings."""
        filters = _filters(from_month, to_month, site, program, None, None)
        report = await service.funnel(request.user, filters, by or [], for_funders=True)
        return _download(funnel_xlsx(report), XLSX, "entonnoir.xlsx")
