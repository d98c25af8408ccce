"""Cohorts: creation checked against the site and its program, scoped reads. Only place that
touches the cohort table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.auth.roles import Principal, Role
from core.cohorts.schemas import CohortCreate, CohortRead
from core.cohorts.tables import Cohort
from core.errors import Forbidden, InvalidField, NotFound
from core.plugin import CohortChanged, CohortFacts, PlannedSession
from core.runtime import Runtime

_COLUMNS = (
    Cohort.id,
    Cohort.site,
    Cohort.program,
    Cohort.track,
    Cohort.title,
    Cohort.starts_on,
    Cohort.ends_on,
    Cohort.capacity,
)


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting cohorts to those ``principal`` reaches; None when it reaches none."""
    if principal.sees_every_site:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Cohort.site.is_in(sorted(principal.sites))]
    if principal.role is Role.TRAINER and principal.cohorts:
        return [Cohort.id.is_in(sorted(principal.cohorts))]
    return None


async def list_cohorts(
    principal: Principal,
    *,
    site: str | None = None,
    program: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CohortRead], int]:
    """A page of the cohorts the caller reaches, newest start first, and their total."""
    filters: list[Any] = []
    if site:
        filters.append(Cohort.site == site)
    if program:
        filters.append(Cohort.program == program)
    scope = _scope(principal)
    if scope is None:
        return [], 0
    rows = (
        await Cohort.select(*_COLUMNS)
        .where(*filters, *scope)
        .order_by(Cohort.starts_on, Cohort.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await Cohort.count().where(*filters, *scope)
    return [CohortRead(**row) for row in rows], total


async def existing_cohort_ids(ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` name existing cohorts."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    rows = await Cohort.select(Cohort.id).where(Cohort.id.is_in(wanted))
    return {int(row["id"]) for row in rows}


async def get_cohort(principal: Principal, cohort_id: int) -> CohortRead:
    """One cohort the caller reaches; another is not found, whether it exists or not."""
    scope = _scope(principal)
    row = None
    if scope is not None:
        row = await Cohort.select(*_COLUMNS).where(Cohort.id == cohort_id, *scope).first()
    if row is None:
        raise NotFound(f"no cohort {cohort_id}")
    return CohortRead(**row)


async def create_cohort(runtime: Runtime, principal: Principal, data: CohortCreate) -> CohortRead:
    """Create a cohort at a site the caller manages, for a program and track the site offers."""
    if not principal.can_see_site(data.site) or runtime.sites.get(data.site) is None:
        raise NotFound(f"no site {data.site!r}", field="site")
    if not principal.can_manage_site(data.site):
        raise Forbidden("only the site's managers and admins create cohorts")
    site = runtime.sites.get(data.site)
    assert site is not None
    settings = site.programs.get(data.program)
    if settings is None:
        raise InvalidField(f"the site does not run program {data.program!r}", field="program")
    if data.track not in settings.tracks:
        raise InvalidField(
            f"the site does not offer track {data.track!r} of {data.program!r}", field="track"
        )
    if data.ends_on < data.starts_on:
        raise InvalidField("the cohort ends before it starts", field="ends_on")
    rows = await Cohort.insert(
        Cohort(
            site=data.site,
            program=data.program,
            track=data.track,
            title=data.title,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            capacity=data.capacity or settings.capacity,
            created_at=runtime.clock.now(),
        )
    ).returning(*_COLUMNS)
    cohort = CohortRead(**rows[0])
    runtime.host.notify_cohort_changed(
        CohortChanged(
            action="created",
            cohort_id=cohort.id,
            site=cohort.site,
            program=cohort.program,
            track=cohort.track,
        )
    )
    return cohort


async def session_plan(
    runtime: Runtime, principal: Principal, cohort_id: int
) -> tuple[PlannedSession, ...]:
    """The cohort's sessions as the program that owns it plans them."""
    cohort = await get_cohort(principal, cohort_id)
    program = runtime.host.program(cohort.program)
    site = runtime.sites.get(cohort.site)
    settings = site.programs.get(cohort.program) if site else None
    if program is None or settings is None:
        raise NotFound(f"program {cohort.program!r} is not installed or not run by the site")
    return program.session_plan(
        CohortFacts(
            track=cohort.track,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            capacity=cohort.capacity,
            settings=settings,
        )
    )
