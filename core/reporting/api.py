"""The reports API: the funnel across sites, for site managers and the central team."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from core.auth.roles import Principal
from core.reporting import service
from core.reporting.funnel import FunnelFilters
from core.reporting.schemas import FunnelReport

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Code = Annotated[str | None, QueryParameter(max_length=40)]


class ReportController(Controller):
    """Indicators aggregated over the sites the caller reaches (docs/indicators.md)."""

    path = "/api/v1/reports"
    tags = ["reports"]

    @get("/funnel", operation_id="getFunnel")
    async def funnel(
        self,
        request: Request[Principal, str, object],
        by: Annotated[list[str] | None, QueryParameter(max_items=5)] = None,
        from_month: Annotated[str | None, QueryParameter(name="from", pattern=MONTH)] = None,
        to_month: Annotated[str | None, QueryParameter(name="to", pattern=MONTH)] = None,
        site: Annotated[list[str] | None, QueryParameter(max_items=100)] = None,
        program: Code = None,
        track: Code = None,
        cohort: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> FunnelReport:
        """Applications, eligible, admitted, waitlisted, enrolled, withdrawn and completed,
        with conversion rates, by the dimensions of ``by`` (site, program, track, cohort,
        month), for applications made from month ``from`` to month ``to``."""
        filters = FunnelFilters(
            from_month=from_month,
            to_month=to_month,
            sites=tuple(site) if site else None,
            program=program,
            track=track,
            cohort=cohort,
        )
        return await service.funnel(request.user, filters, by or [])
