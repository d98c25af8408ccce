"""A cohort's sessions: placed on real days from its program's plan, read back in order.

The only module that writes the session table. Planning again keeps the sessions that have
already started and places the rest of the plan anew, from the next free day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead, CohortStatus
from core.errors import Conflict, InvalidField, NotFound
from core.reporting.enrolment_facts import refresh_cohorts
from core.runtime import Runtime
from core.scheduling import availability, staffing
from core.scheduling.calendar import NoRoom, Rhythm, day_off, place_sessions
from core.scheduling.conflicts import Booking, Person, PersonKind, SiteRules, find_conflicts
from core.scheduling.conflicts import Conflict as SessionConflict
from core.scheduling.schemas import SessionList, SessionRead
from core.scheduling.tables import TrainingSession
from core.sites.loader import Site, SiteRegistry

log = structlog.get_logger(__name__)

_COLUMNS = (
    TrainingSession.id,
    TrainingSession.cohort,
    TrainingSession.sequence,
    TrainingSession.unit,
    TrainingSession.title,
    TrainingSession.day,
    TrainingSession.starts_at,
    TrainingSession.ends_at,
    TrainingSession.timezone,
    TrainingSession.room,
    TrainingSession.trainer,
)
_CLOSED = (CohortStatus.FINISHED, CohortStatus.CANCELLED)


def instant(day: date, at: time, timezone: str) -> datetime:
    """The instant a local day and time make in ``timezone``."""
    return datetime.combine(day, at, ZoneInfo(timezone))


def _read(row: dict[str, Any]) -> SessionRead:
    return SessionRead(
        **row,
        start=instant(row["day"], row["starts_at"], row["timezone"]),
        end=instant(row["day"], row["ends_at"], row["timezone"]),
    )


async def sessions_of(cohort_id: int) -> list[SessionRead]:
    """Every session of a cohort, in order (unscoped: the caller checked the cohort)."""
    rows = (
        await TrainingSession.select(*_COLUMNS)
        .where(TrainingSession.cohort == cohort_id)
        .order_by(TrainingSession.sequence)
    )
    return [_read(row) for row in rows]


async def get_session(principal: Principal, session_id: int) -> SessionRead:
    """One session of a cohort the caller reaches; another is not found."""
    row = await TrainingSession.select(*_COLUMNS).where(TrainingSession.id == session_id).first()
    if row is None:
        raise NotFound(f"no session {session_id}")
    try:
        await cohorts.get_cohort(principal, row["cohort"])
    except NotFound:
        raise NotFound(f"no session {session_id}") from None
    return _read(row)


async def sessions_between(principal: Principal, first: date, last: date) -> list[SessionRead]:
    """The sessions of the cohorts the caller reaches held from ``first`` to ``last``
    (local days), in the order they start."""
    reached = cohorts.reachable(principal)
    if reached is None:
        return []
    rows = await TrainingSession.select(*_COLUMNS).where(
        TrainingSession.cohort.is_in(reached),
        TrainingSession.day >= first,
        TrainingSession.day <= last,
    )
    return sorted((_read(row) for row in rows), key=lambda session: (session.start, session.id))


async def list_sessions(runtime: Runtime, principal: Principal, cohort_id: int) -> SessionList:
    """Every session of a cohort the caller reaches, in order, with their conflicts."""
    await cohorts.get_cohort(principal, cohort_id)
    sessions = await sessions_of(cohort_id)
    now = runtime.clock.now()
    return SessionList(
        items=sessions,
        held=sum(1 for s in sessions if s.end <= now),
        conflicts=await _cohort_conflicts(runtime.sites, cohort_id, sessions),
    )


def _rhythm(cohort: CohortRead) -> Rhythm:
    if not cohort.weekdays or cohort.day_starts is None or cohort.day_ends is None:
        raise InvalidField(
            "set the cohort's weekly rhythm (weekdays, day_starts, day_ends) first",
            field="weekdays",
        )
    return Rhythm(
        weekdays=tuple(cohort.weekdays), starts_at=cohort.day_starts, ends_at=cohort.day_ends
    )


async def plan_cohort(runtime: Runtime, principal: Principal, cohort_id: int) -> SessionList:
    """Place the cohort's sessions on the days of its rhythm, skipping days off.

    A first plan starts on the cohort's first day. Planning again keeps every session that
    has started (its attendance may be recorded) and places the rest of the program's plan
    from the first day whose slot is still ahead and that follows the last kept session.
    The cohort then ends on its last session.
    """
    cohort = await cohorts.managed_cohort(principal, cohort_id)
    if cohort.status in _CLOSED:
        raise Conflict(f"a {cohort.status} cohort is not planned again", field="status")
    rhythm = _rhythm(cohort)
    site = runtime.sites.get(cohort.site)
    if site is None:
        raise NotFound(f"the site {cohort.site!r} of cohort {cohort_id} is not configured")
    plan = await cohorts.session_plan(runtime, principal, cohort_id)
    now = runtime.clock.now()
    zone = site.config.timezone
    async with TrainingSession._meta.db.transaction():
        existing = await sessions_of(cohort_id)
        kept = [s for s in existing if s.start <= now]  # held, or under way
        first = cohort.starts_on
        if existing:
            local = now.astimezone(ZoneInfo(zone))
            started = local.time() > rhythm.starts_at  # today's slot is no longer ahead
            earliest = local.date() + timedelta(days=1 if started else 0)
            after_kept = kept[-1].day + timedelta(days=1) if kept else first
            first = max(first, earliest, after_kept)
        done = max((s.sequence for s in kept), default=0)
        try:
            placed = place_sessions(
                [p for p in plan if p.sequence > done],
                rhythm,
                first,
                department=site.config.department,
                closures=site.config.closures,
            )
        except NoRoom as exc:
            raise InvalidField(str(exc), field="weekdays") from None
        replaced = {s.id: s.sequence for s in existing if s.start > now}
        bookings = await staffing.release(replaced)
        await TrainingSession.delete().where(
            TrainingSession.cohort == cohort_id,
            TrainingSession.id.not_in([s.id for s in kept] or [0]),
        )
        new_ids: dict[int, int] = {}
        if placed:
            inserted = await TrainingSession.insert(
                *(
                    TrainingSession(
                        cohort=cohort_id,
                        sequence=p.sequence,
                        unit=p.unit,
                        title=p.title,
                        day=p.day,
                        starts_at=p.starts_at,
                        ends_at=p.ends_at,
                        timezone=zone,
                        room=cohort.room,
                        trainer=cohort.lead_trainer,
                        created_at=now,
                    )
                    for p in placed
                )
            ).returning(TrainingSession.id, TrainingSession.sequence)
            new_ids = {row["sequence"]: row["id"] for row in inserted}
        # The volunteers of a session placed anew are booked for the session of the same
        # number; a number the plan no longer has drops its bookings.
        await staffing.rebook(
            [
                booking | {"session": new_ids[replaced[booking["session"]]]}
                for booking in bookings
                if replaced[booking["session"]] in new_ids
            ]
        )
        last = placed[-1].day if placed else (kept[-1].day if kept else None)
        if last is not None:
            await cohorts.set_last_day(cohort_id, last)
        await refresh_cohorts([cohort_id])
    log.info("cohort_planned", cohort_id=cohort_id, kept=len(kept), placed=len(placed))
    return await list_sessions(runtime, principal, cohort_id)


_BOOKING_COLUMNS = (
    TrainingSession.id,
    TrainingSession.cohort,
    TrainingSession.cohort.site.as_alias("site"),
    TrainingSession.cohort.capacity.as_alias("seats"),
    TrainingSession.day,
    TrainingSession.starts_at,
    TrainingSession.ends_at,
    TrainingSession.timezone,
    TrainingSession.room,
    TrainingSession.trainer,
)


def _booking(row: dict[str, Any], volunteers: list[int]) -> Booking:
    start = instant(row["day"], row["starts_at"], row["timezone"])
    end = instant(row["day"], row["ends_at"], row["timezone"])
    trainer = () if row["trainer"] is None else (Person(PersonKind.ACCOUNT, row["trainer"]),)
    return Booking(
        session_id=row["id"],
        cohort_id=row["cohort"],
        site=row["site"],
        day=row["day"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        start=int(start.timestamp()),
        end=int(end.timestamp()),
        room=row["room"],
        people=trainer + tuple(Person(PersonKind.VOLUNTEER, v) for v in volunteers),
        seats=row["seats"],
    )


def site_rules(site: Site) -> SiteRules:
    """What the conflict check needs to know of a site's file."""
    config = site.config
    return SiteRules(
        opens=config.opening_hours.opens,
        closes=config.opening_hours.closes,
        open_days=frozenset(config.opening_hours.days),
        room_seats={room.key: room.capacity for room in config.rooms},
        day_off=lambda day: day_off(config.department, config.closures, day),
    )


async def _conflicts_around(
    sites: SiteRegistry, first: date, last: date, where: Any
) -> list[SessionConflict]:
    """Conflicts of the sessions ``where`` selects between two days, with the other sessions
    of the same sites, trainers and volunteers in those days (a person is booked across
    sites), and the availability the people booked for them declared."""
    window = (TrainingSession.day >= first) & (TrainingSession.day <= last)
    own = await TrainingSession.select(
        TrainingSession.id, TrainingSession.cohort.site.as_alias("site"), TrainingSession.trainer
    ).where(window, where)
    if not own:
        return []
    site_names = sorted({row["site"] for row in own})
    nearby = TrainingSession.cohort.site.is_in(site_names)
    if trainers := sorted({row["trainer"] for row in own if row["trainer"] is not None}):
        nearby = nearby | TrainingSession.trainer.is_in(trainers)
    own_ids = TrainingSession.select(TrainingSession.id).where(window, where)
    if volunteers := await staffing.volunteers_booked(own_ids):
        nearby = nearby | TrainingSession.id.is_in(staffing.sessions_of(volunteers))
    rows = await TrainingSession.select(*_BOOKING_COLUMNS).where(window, nearby)
    booked = await staffing.volunteers_by_session(
        TrainingSession.select(TrainingSession.id).where(window, nearby)
    )
    bookings = [_booking(row, booked.get(row["id"], [])) for row in rows]
    declared = await availability.windows_of(p for b in bookings for p in b.people)
    rules = {site.slug: site_rules(site) for site in sites if site.slug in site_names}
    mine = {row["id"] for row in own}
    return [
        conflict
        for conflict in find_conflicts(bookings, rules, declared)
        if conflict.session_id in mine or conflict.other_session_id in mine
    ]


async def _cohort_conflicts(
    sites: SiteRegistry, cohort_id: int, sessions: list[SessionRead]
) -> list[SessionConflict]:
    if not sessions:
        return []
    first, last = min(s.day for s in sessions), max(s.day for s in sessions)
    return await _conflicts_around(sites, first, last, TrainingSession.cohort == cohort_id)


async def site_conflicts(
    runtime: Runtime, principal: Principal, slug: str, first: date, last: date
) -> list[SessionConflict]:
    """Every conflict that involves a session of the site between two days (inclusive)."""
    if runtime.sites.get(slug) is None or not principal.can_see_site(slug):
        raise NotFound(f"no site {slug!r}")
    if last < first:
        raise InvalidField("the period ends before it starts", field="to")
    return await _conflicts_around(runtime.sites, first, last, TrainingSession.cohort.site == slug)
