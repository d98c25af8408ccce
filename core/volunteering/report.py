"""Volunteer hours for the central team: per site and per lending company, over a period.

An SQL aggregation (``core.scheduling.staffing.minutes_given``): the minutes of the sessions
volunteers were booked for that have ended, grouped by the volunteer's site and the partner
company that lends them. Hours count at the volunteer's site, whose file names the company,
under the company that lends them now: a volunteer is in one group only, so a site's and the
whole report's volunteers are the sums of its groups'. No person is named or listed; the
counts are of volunteers, not of learners, so no small count is suppressed.
"""

from __future__ import annotations

from datetime import date

from core.auth.roles import Principal, Role
from core.errors import Forbidden, InvalidField, NotFound
from core.runtime import Runtime
from core.scheduling import staffing
from core.volunteering.schemas import CompanyHours, SiteHours, VolunteeringReport


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


async def volunteering_report(
    runtime: Runtime, principal: Principal, first: date, last: date, site: str | None = None
) -> VolunteeringReport:
    """Hours given from ``first`` to ``last`` (local days, inclusive) at the sites the caller
    sees (or at ``site``): admins and the central team every site, a manager theirs."""
    if principal.role is Role.TRAINER:
        raise Forbidden("the volunteering report is for site managers and the central team")
    if last < first:
        raise InvalidField("the period ends before it starts", field="to")
    if site is not None:
        if runtime.sites.get(site) is None or not principal.can_see_site(site):
            raise NotFound(f"no site {site!r}", field="site")
        sites: list[str] | None = [site]
    else:
        sites = None if principal.sees_every_site else sorted(principal.sites)
    rows = []
    if sites is None or sites:
        rows = await staffing.minutes_given(first, last, runtime.clock.now(), sites)
    by_site: dict[str, list[CompanyHours]] = {}
    for row in rows:
        names = {}
        if configured := runtime.sites.get(row["site"]):
            names = {partner.key: partner.name for partner in configured.config.partners}
        by_site.setdefault(row["site"], []).append(
            CompanyHours(
                partner=row["partner"],
                name=names.get(row["partner"]) if row["partner"] else None,
                volunteers=row["volunteers"],
                minutes=row["minutes"],
                hours=_hours(row["minutes"]),
            )
        )
    report = []
    for slug, companies in sorted(by_site.items()):
        companies.sort(key=lambda c: (c.partner is None, c.partner or ""))
        minutes = sum(c.minutes for c in companies)
        report.append(
            SiteHours(
                site=slug,
                volunteers=sum(c.volunteers for c in companies),
                minutes=minutes,
                hours=_hours(minutes),
                companies=companies,
            )
        )
    minutes = sum(s.minutes for s in report)
    return VolunteeringReport(
        first=first,
        last=last,
        volunteers=sum(s.volunteers for s in report),
        minutes=minutes,
        hours=_hours(minutes),
        sites=report,
    )
