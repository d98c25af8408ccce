"""Who runs a session besides its trainer: the volunteers booked for it, and their hours.

The only module on the session-volunteer table. Unscoped: ``core.volunteering`` checks who
may book whom for what, the planner carries bookings over when it places a cohort's sessions
anew, and the conflict check reads them. The hours a volunteer gives are the minutes of the
sessions they were booked for that have ended: a booking is the record, as a session's
trainer is (attendance is signed by learners and trainers, not by volunteers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.columns import Column
from piccolo.query import Select
from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from core.auth.accounts import assigned_to_a_cohort_at
from core.cohorts import service as cohorts
from core.db.instants import as_utc
from core.db.raw import summed_minutes
from core.errors import Conflict
from core.scheduling.tables import SessionVolunteer, TrainingSession


async def teaches_at(account_id: int, sites: Iterable[str]) -> bool:
    """True when the account trains at one of ``sites``: it leads a cohort there, is
    assigned to one, or is the trainer of a session there."""
    wanted = sorted(set(sites))
    if not wanted:
        return False
    if await cohorts.leads_a_cohort_at(account_id, wanted):
        return True
    if await assigned_to_a_cohort_at(account_id, wanted):
        return True
    return await TrainingSession.exists().where(
        TrainingSession.trainer == account_id, TrainingSession.cohort.site.is_in(wanted)
    )


async def volunteers_of(session_id: int) -> list[int]:
    """The ids of the volunteers booked for a session, in the order they were booked."""
    rows = (
        await SessionVolunteer.select(SessionVolunteer.volunteer)
        .where(SessionVolunteer.session == session_id)
        .order_by(SessionVolunteer.id)
    )
    return [row["volunteer"] for row in rows]


def sessions_of(volunteers: Sequence[int]) -> Select:
    """A subquery: the ids of the sessions any of ``volunteers`` is booked for."""
    return SessionVolunteer.select(SessionVolunteer.session).where(
        SessionVolunteer.volunteer.is_in(list(volunteers))
    )


async def volunteers_booked(sessions: Select) -> list[int]:
    """The ids of the volunteers booked for any of ``sessions`` (a subquery of session ids)."""
    rows = (
        await SessionVolunteer.select(SessionVolunteer.volunteer)
        .where(SessionVolunteer.session.is_in(sessions))
        .distinct()
    )
    return sorted(row["volunteer"] for row in rows)


async def volunteers_by_session(sessions: Select) -> dict[int, list[int]]:
    """The volunteers booked for each of ``sessions`` (a subquery of session ids)."""
    rows = (
        await SessionVolunteer.select(SessionVolunteer.session, SessionVolunteer.volunteer)
        .where(SessionVolunteer.session.is_in(sessions))
        .order_by(SessionVolunteer.id)
    )
    booked: dict[int, list[int]] = {}
    for row in rows:
        booked.setdefault(row["session"], []).append(row["volunteer"])
    return booked


async def book(session_id: int, volunteer_id: int, *, by: int, at: datetime) -> None:
    """Book a volunteer for a session; Conflict when they already are."""
    booked = await SessionVolunteer.exists().where(
        SessionVolunteer.session == session_id, SessionVolunteer.volunteer == volunteer_id
    )
    if booked:
        raise Conflict(
            f"volunteer {volunteer_id} is already booked for session {session_id}",
            field="volunteer",
        )
    await SessionVolunteer.insert(
        SessionVolunteer(session=session_id, volunteer=volunteer_id, assigned_by=by, assigned_at=at)
    )


async def unbook(session_id: int, volunteer_id: int) -> bool:
    """Take a volunteer off a session; False when they were not booked for it."""
    rows = await (
        SessionVolunteer.delete()
        .where(SessionVolunteer.session == session_id, SessionVolunteer.volunteer == volunteer_id)
        .returning(SessionVolunteer.id)
    )
    return bool(rows)


async def release(session_ids: Collection[int]) -> list[dict[str, Any]]:
    """Delete the bookings of ``session_ids`` and return them (session, volunteer, who
    booked them and when), for the planner to book again on the sessions that replace them."""
    if not session_ids:
        return []
    where = SessionVolunteer.session.is_in(sorted(session_ids))
    rows = (
        await SessionVolunteer.select(
            SessionVolunteer.session,
            SessionVolunteer.volunteer,
            SessionVolunteer.assigned_by,
            SessionVolunteer.assigned_at,
        )
        .where(where)
        .order_by(SessionVolunteer.id)
    )
    if rows:
        await SessionVolunteer.delete().where(where)
    return rows


async def rebook(rows: Sequence[dict[str, Any]]) -> None:
    """Book again what ``release`` returned, each row's ``session`` now a new session id."""
    if rows:
        await SessionVolunteer.insert(
            *(SessionVolunteer(**row | {"assigned_at": as_utc(row["assigned_at"])}) for row in rows)
        )


async def reached(now: datetime, at: Column) -> Any:
    """A condition on sessions: their local day and time ``at`` (``TrainingSession.starts_at``
    or ``ends_at``) is at or before ``now``, in the zone each session was planned in.

    A local date is at most a day away from the UTC date: the sessions of the days before
    are past in every zone, and only those of the three days around today need theirs.
    """
    today = now.astimezone(UTC).date()
    near = (TrainingSession.day >= today - timedelta(days=1)) & (
        TrainingSession.day <= today + timedelta(days=1)
    )
    zones = await TrainingSession.select(TrainingSession.timezone).where(near).distinct()
    condition = TrainingSession.day < today - timedelta(days=1)
    for zone in sorted(row["timezone"] for row in zones):
        local = now.astimezone(ZoneInfo(zone))
        day, moment = local.date(), local.time().replace(microsecond=0)
        condition = condition | (
            near
            & (TrainingSession.timezone == zone)
            & ((TrainingSession.day < day) | ((TrainingSession.day == day) & (at <= moment)))
        )
    return condition


async def unbook_upcoming(volunteer_id: int, now: datetime) -> list[int]:
    """Take a volunteer off every session that has not started; the ids of those sessions."""
    started = await reached(now, TrainingSession.starts_at)
    rows = await (
        SessionVolunteer.delete()
        .where(
            SessionVolunteer.volunteer == volunteer_id,
            SessionVolunteer.session.not_in(
                TrainingSession.select(TrainingSession.id).where(started)
            ),
        )
        .returning(SessionVolunteer.session)
    )
    return sorted(row["session"] for row in rows)


def _minutes(starts: Column, ends: Column) -> QueryString:
    """The sum of the minutes from ``starts`` to ``ends`` (time columns), in SQL."""
    engine_type = SessionVolunteer._meta.db.engine_type
    return QueryString(summed_minutes(engine_type), ends, starts, alias="minutes")


async def minutes_given(
    first: date, last: date, now: datetime, sites: Sequence[str] | None
) -> list[dict[str, Any]]:
    """Per volunteer's site and lending partner: how many volunteers gave time, and the
    minutes of the sessions between ``first`` and ``last`` (local days) they were booked
    for that ended by ``now``. ``sites`` limits the volunteers' sites (None: every site)."""
    ended = await reached(now, TrainingSession.ends_at)
    sessions = TrainingSession.select(TrainingSession.id).where(
        TrainingSession.day >= first, TrainingSession.day <= last, ended
    )
    filters = [SessionVolunteer.session.is_in(sessions)]
    if sites is not None:
        filters.append(SessionVolunteer.volunteer.site.is_in(list(sites)))
    site = SessionVolunteer.volunteer.site
    partner = SessionVolunteer.volunteer.partner
    return await (
        SessionVolunteer.select(
            site.as_alias("site"),
            partner.as_alias("partner"),
            Count(distinct=[SessionVolunteer.volunteer], alias="volunteers"),
            _minutes(SessionVolunteer.session.starts_at, SessionVolunteer.session.ends_at),
        )
        .where(*filters)
        .group_by(site, partner)
    )
