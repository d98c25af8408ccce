"""Cohorts: creation checked against the site and its program, scoped reads. Only place that
touches the cohort table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec
from piccolo.query import Select

from core.auth.accounts import account_role
from core.auth.roles import Principal, Role
from core.cohorts.schemas import (
    NEXT_STATUSES,
    CohortCreate,
    CohortRead,
    CohortStatus,
    CohortUpdate,
)
from core.cohorts.tables import Cohort
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.plugin import CohortChanged, CohortFacts, PlannedSession
from core.reporting.enrolment_facts import refresh_cohorts
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
    Cohort.status,
    Cohort.room,
    Cohort.lead_trainer,
    Cohort.weekdays,
    Cohort.day_starts,
    Cohort.day_ends,
)


def _read(row: dict[str, Any]) -> CohortRead:
    weekdays = [int(day) for day in row["weekdays"].split()]
    return CohortRead(**(row | {"weekdays": weekdays}))


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting cohorts to those ``principal`` reaches; None when it reaches none."""
    if principal.sees_every_site:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Cohort.site.is_in(sorted(principal.sites))]
    if principal.role is Role.TRAINER and principal.cohorts:
        return [Cohort.id.is_in(sorted(principal.cohorts))]
    return None


def reachable(principal: Principal) -> Select | None:
    """A subquery of the ids of the cohorts ``principal`` reaches; None when none."""
    scope = _scope(principal)
    return None if scope is None else Cohort.select(Cohort.id).where(*scope)


async def list_cohorts(
    principal: Principal,
    *,
    site: str | None = None,
    program: str | None = None,
    status: CohortStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CohortRead], int]:
    """A page of the cohorts the caller reaches, newest start first, and their total."""
    filters: list[Any] = []
    if site:
        filters.append(Cohort.site == site)
    if program:
        filters.append(Cohort.program == program)
    if status:
        filters.append(Cohort.status == status.value)
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
    return [_read(row) for row in rows], total


async def existing_cohort_ids(ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` name existing cohorts."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    rows = await Cohort.select(Cohort.id).where(Cohort.id.is_in(wanted))
    return {int(row["id"]) for row in rows}


_ONE = (
    f"SELECT {', '.join(column._meta.db_column_name for column in _COLUMNS)} FROM cohort "
    "WHERE id = {}"
)


def reaches(principal: Principal, row: Mapping[str, Any]) -> bool:
    """Whether ``principal`` reaches the cohort ``row``: ``_scope``, for a row in hand."""
    if principal.sees_every_site:
        return True
    if principal.role is Role.SITE_MANAGER:
        return row["site"] in principal.sites
    return principal.role is Role.TRAINER and row["id"] in principal.cohorts


async def get_cohort(principal: Principal, cohort_id: int) -> CohortRead:
    """One cohort the caller reaches; another is not found, whether it exists or not. Read
    by its id then checked in hand (one statement, on every roster and enrolment)."""
    rows = await Cohort.raw(_ONE, cohort_id)
    if not rows or not reaches(principal, rows[0]):
        raise NotFound(f"no cohort {cohort_id}")
    return _read(rows[0])


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
    cohort = _read(rows[0])
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


async def managed_cohort(principal: Principal, cohort_id: int) -> CohortRead:
    """A cohort the caller manages; NotFound out of reach, Forbidden for reading only."""
    cohort = await get_cohort(principal, cohort_id)
    if not principal.can_manage_site(cohort.site):
        raise Forbidden("only the site's managers and admins change a cohort")
    return cohort


async def _check_update(runtime: Runtime, cohort: CohortRead, data: CohortUpdate) -> None:
    moves = data.status is not msgspec.UNSET and data.status != cohort.status
    if moves and data.status not in NEXT_STATUSES[cohort.status]:
        raise Conflict(f"a {cohort.status} cohort cannot become {data.status}", field="status")
    if isinstance(data.room, str):
        site = runtime.sites.get(cohort.site)
        rooms = {room.key for room in site.config.rooms} if site else set()
        if data.room not in rooms:
            raise InvalidField(
                f"sites/{cohort.site}.toml names no room {data.room!r}", field="room"
            )
    if isinstance(data.lead_trainer, int):
        role = await account_role(data.lead_trainer)
        if role not in (Role.TRAINER, Role.SITE_MANAGER):
            raise InvalidField(
                f"account {data.lead_trainer} is not an active trainer", field="lead_trainer"
            )
    rhythm = (data.weekdays, data.day_starts, data.day_ends)
    given = [part is not msgspec.UNSET for part in rhythm]
    if any(given) and not all(given):
        raise InvalidField("give weekdays, day_starts and day_ends together", field="weekdays")
    if all(given) and data.day_ends <= data.day_starts:  # type: ignore[operator]
        raise InvalidField("the day ends before it starts", field="day_ends")


async def update_cohort(
    runtime: Runtime, principal: Principal, cohort_id: int, data: CohortUpdate
) -> CohortRead:
    """Change a cohort the caller manages: its title, capacity, status (along
    ``NEXT_STATUSES``), room, lead trainer or weekly rhythm."""
    cohort = await managed_cohort(principal, cohort_id)
    await _check_update(runtime, cohort, data)
    changes: dict[Any, Any] = {}
    for name in CohortUpdate.__struct_fields__:
        value = getattr(data, name)
        if value is msgspec.UNSET:
            continue
        if name == "weekdays":
            value = " ".join(str(day) for day in sorted(set(value)))
        elif name == "status":
            value = value.value
        changes[getattr(Cohort, name)] = value
    if changes:
        async with Cohort._meta.db.transaction():
            await Cohort.update(changes).where(Cohort.id == cohort_id)
            await refresh_cohorts([cohort_id])
        runtime.host.notify_cohort_changed(
            CohortChanged(
                action="updated",
                cohort_id=cohort.id,
                site=cohort.site,
                program=cohort.program,
                track=cohort.track,
            )
        )
    return await get_cohort(principal, cohort_id)


async def leads_a_cohort_at(account_id: int, sites: Iterable[str]) -> bool:
    """True when the account is the lead trainer of a cohort at one of ``sites``."""
    wanted = sorted(set(sites))
    if not wanted:
        return False
    return await Cohort.exists().where(Cohort.lead_trainer == account_id, Cohort.site.is_in(wanted))


async def set_last_day(cohort_id: int, last_day: date) -> None:
    """Record the day of the cohort's last session as its end (the planner calls this)."""
    await Cohort.update({Cohort.ends_on: last_day}).where(Cohort.id == cohort_id)


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


async def cohort_sites(ids: Iterable[int]) -> dict[int, str]:
    """The site of each existing cohort among ``ids``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await Cohort.select(Cohort.id, Cohort.site).where(Cohort.id.is_in(wanted))
    return {int(row["id"]): row["site"] for row in rows}
