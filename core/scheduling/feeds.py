"""Calendar feeds: secret, revocable addresses that calendar apps read without signing in.

The only module on the feed table. A feed follows a cohort, a room of a site or a trainer,
and is read with the reach of the account that created it, as that account stands now: a
feed never shows more than its creator may see, and it stops answering (404, like an
unknown or revoked address) when its creator's account is deactivated. Only the SHA-256 of
the secret is stored, as for API tokens.

Who creates which feed: admins any; a site manager those of the cohorts and rooms of their
sites and of the trainers of their cohorts; a trainer those of their own cohorts and of
their own sessions; the central team none. A feed is listed and revoked by its creator,
by the managers of its site (for a cohort or a room) and by admins.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import structlog

from core.auth import service as auth
from core.auth.accounts import account_role
from core.auth.hashing import digest, new_secret
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortStatus
from core.errors import Forbidden, InvalidField, NotFound
from core.runtime import Runtime
from core.scheduling.ical import FeedEvent, build_calendar, session_uid
from core.scheduling.schemas import FeedCreate, FeedKind, FeedRead
from core.scheduling.service import instant
from core.scheduling.staffing import teaches_at
from core.scheduling.tables import CalendarFeed, TrainingSession

log = structlog.get_logger(__name__)

PATH = "/calendar"
"""Where feeds are read: ``/calendar/<secret>.ics``."""
SUFFIX = ".ics"
DAYS_BEFORE = 90
DAYS_AFTER = 366
"""A feed holds the sessions from 90 days ago to a year ahead, so that it stays small."""

_FIELDS = {
    FeedKind.COHORT: ("cohort",),
    FeedKind.ROOM: ("site", "room"),
    FeedKind.TRAINER: ("trainer",),
}
_UNKNOWN = "no such calendar"
"""The one answer to an unknown, revoked or unreachable address: none says which."""


def feed_path(secret: str) -> str:
    """The address path of a feed."""
    return f"{PATH}/{secret}{SUFFIX}"


def _check_fields(data: FeedCreate) -> None:
    wanted = _FIELDS[data.kind]
    for name in ("cohort", "site", "room", "trainer"):
        given = getattr(data, name) is not None
        if name in wanted and not given:
            raise InvalidField(f"a {data.kind} feed needs {name}", field=name)
        if name not in wanted and given:
            raise InvalidField(f"a {data.kind} feed takes no {name}", field=name)


async def _target(
    runtime: Runtime, principal: Principal, data: FeedCreate
) -> tuple[str, str | None]:
    """What the new feed follows, as stored (``target``, ``site``), once the caller's role
    and reach allow it."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team does not create calendar feeds")
    _check_fields(data)
    if data.kind is FeedKind.COHORT:
        assert data.cohort is not None
        cohort = await cohorts.get_cohort(principal, data.cohort)
        return str(cohort.id), cohort.site
    if data.kind is FeedKind.ROOM:
        assert data.site is not None and data.room is not None
        if principal.role is Role.TRAINER:
            raise Forbidden("a trainer subscribes to their cohorts and to their own sessions")
        site = runtime.sites.get(data.site)
        if site is None or not principal.can_manage_site(data.site):
            raise NotFound(f"no site {data.site!r}", field="site")
        if data.room not in {room.key for room in site.config.rooms}:
            raise InvalidField(f"sites/{data.site}.toml names no room {data.room!r}", field="room")
        return f"{data.site}:{data.room}", data.site
    assert data.trainer is not None
    if data.trainer != principal.account_id:
        if principal.role is Role.TRAINER:
            raise Forbidden("a trainer subscribes only to their own sessions")
        reachable = principal.role is Role.ADMIN or await teaches_at(data.trainer, principal.sites)
        if not reachable or await account_role(data.trainer) is None:
            raise NotFound(f"no trainer {data.trainer}", field="trainer")
    return str(data.trainer), None


def _read(row: dict[str, Any]) -> FeedRead:
    kind = FeedKind(row["kind"])
    target = row["target"]
    room = target.partition(":")[2]
    return FeedRead(
        id=row["id"],
        kind=kind,
        cohort=int(target) if kind is FeedKind.COHORT else None,
        site=row["site"],
        room=room if kind is FeedKind.ROOM else None,
        trainer=int(target) if kind is FeedKind.TRAINER else None,
        created_by=row["created_by"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


_COLUMNS = (
    CalendarFeed.id,
    CalendarFeed.kind,
    CalendarFeed.target,
    CalendarFeed.site,
    CalendarFeed.created_by,
    CalendarFeed.created_at,
    CalendarFeed.revoked_at,
)


async def create_feed(
    runtime: Runtime, principal: Principal, data: FeedCreate
) -> tuple[FeedRead, str]:
    """A new feed within the caller's reach; returns it and its secret, to show once."""
    target, site = await _target(runtime, principal, data)
    secret = new_secret()
    rows = await CalendarFeed.insert(
        CalendarFeed(
            kind=data.kind.value,
            target=target,
            site=site,
            secret_hash=digest(secret),
            created_by=principal.account_id,
            created_at=runtime.clock.now(),
        )
    ).returning(*_COLUMNS)
    feed = _read(rows[0])
    log.info("calendar_feed_created", feed_id=feed.id, kind=feed.kind, account_id=feed.created_by)
    return feed, secret


def _visible(principal: Principal) -> list[Any]:
    """Conditions restricting feeds to those the caller lists and revokes."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team has no calendar feeds")
    if principal.role is Role.ADMIN:
        return []
    mine = CalendarFeed.created_by == principal.account_id
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [mine | CalendarFeed.site.is_in(sorted(principal.sites))]
    return [mine]


async def list_feeds(
    principal: Principal, *, limit: int = 50, offset: int = 0
) -> tuple[list[FeedRead], int]:
    """A page of the feeds the caller reaches, revoked ones included, newest first."""
    where = _visible(principal)
    rows = (
        await CalendarFeed.select(*_COLUMNS)
        .where(*where)
        .order_by(CalendarFeed.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await CalendarFeed.count().where(*where)
    return [_read(row) for row in rows], total


async def revoke_feed(runtime: Runtime, principal: Principal, feed_id: int) -> None:
    """Revoke a feed the caller reaches; its address answers 404 from now on. Revoking a
    revoked feed changes nothing."""
    where = _visible(principal)
    if not await CalendarFeed.exists().where(CalendarFeed.id == feed_id, *where):
        raise NotFound(f"no calendar feed {feed_id}")
    await CalendarFeed.update({CalendarFeed.revoked_at: runtime.clock.now()}).where(
        CalendarFeed.id == feed_id, CalendarFeed.revoked_at.is_null()
    )
    log.info("calendar_feed_revoked", feed_id=feed_id, account_id=principal.account_id)


_SESSION_COLUMNS = (
    TrainingSession.cohort,
    TrainingSession.sequence,
    TrainingSession.title,
    TrainingSession.day,
    TrainingSession.starts_at,
    TrainingSession.ends_at,
    TrainingSession.timezone,
    TrainingSession.room,
    TrainingSession.created_at,
    TrainingSession.cohort.title.as_alias("cohort_title"),
    TrainingSession.cohort.site.as_alias("site"),
    TrainingSession.cohort.program.as_alias("program"),
    TrainingSession.cohort.status.as_alias("status"),
)


def _trainer_reach(creator: Principal, trainer: int) -> list[Any]:
    """Conditions restricting a trainer's sessions to the creator's reach: one's own
    sessions are all one's own; a manager sees those at their sites, an admin all."""
    if creator.role is Role.ADMIN or trainer == creator.account_id:
        return []
    if creator.role is Role.SITE_MANAGER and creator.sites:
        return [TrainingSession.cohort.site.is_in(sorted(creator.sites))]
    if creator.role is Role.TRAINER and creator.cohorts:
        return [TrainingSession.cohort.is_in(sorted(creator.cohorts))]
    raise NotFound(_UNKNOWN)


async def _selection(
    runtime: Runtime, creator: Principal, kind: FeedKind, target: str
) -> tuple[list[Any], str, str | None]:
    """Which sessions a feed shows, as conditions, with the calendar's name and zone.
    NotFound when its target is no longer within the creator's reach."""
    if kind is FeedKind.COHORT:
        cohort = await cohorts.get_cohort(creator, int(target))
        site = runtime.sites.get(cohort.site)
        name = f"{cohort.title} ({site.config.name if site else cohort.site})"
        zone = site.config.timezone if site else None
        return [TrainingSession.cohort == cohort.id], name, zone
    if kind is FeedKind.ROOM:
        slug, _, key = target.partition(":")
        site = runtime.sites.get(slug)
        if site is None or not creator.can_manage_site(slug):
            raise NotFound(_UNKNOWN)
        room = next((r.name for r in site.config.rooms if r.key == key), key)
        where = [TrainingSession.cohort.site == slug, TrainingSession.room == key]
        return where, f"{room} ({site.config.name})", site.config.timezone
    trainer = int(target)
    where = [TrainingSession.trainer == trainer, *_trainer_reach(creator, trainer)]
    return where, "Séances du formateur", None


def _location(runtime: Runtime, slug: str, room: str | None) -> str:
    site = runtime.sites.get(slug)
    if site is None:
        return ""
    room_name = next((r.name for r in site.config.rooms if r.key == room), room)
    return ", ".join(part for part in (site.config.name, room_name, site.config.address) if part)


def _event(runtime: Runtime, row: dict[str, Any]) -> FeedEvent:
    program = runtime.host.program(row["program"])
    program_title = program.title if program else row["program"]
    return FeedEvent(
        uid=session_uid(row["cohort"], row["sequence"]),
        start=instant(row["day"], row["starts_at"], row["timezone"]),
        end=instant(row["day"], row["ends_at"], row["timezone"]),
        summary=f"{row['cohort_title']} — {row['title']}",
        location=_location(runtime, row["site"], row["room"]),
        description=f"Formation {program_title}, séance n° {row['sequence']}.",
        stamp=row["created_at"],
        cancelled=row["status"] == CohortStatus.CANCELLED,
    )


def window(today: date) -> tuple[date, date]:
    """The first and last days whose sessions a feed holds."""
    return today - timedelta(days=DAYS_BEFORE), today + timedelta(days=DAYS_AFTER)


async def render_feed(runtime: Runtime, secret: str) -> bytes:
    """The iCalendar document at a feed's address. NotFound, always with the same words,
    for an unknown or revoked secret, a creator no longer active, or a target out of reach.
    """
    row = (
        await CalendarFeed.select(
            CalendarFeed.id, CalendarFeed.kind, CalendarFeed.target, CalendarFeed.created_by
        )
        .where(CalendarFeed.secret_hash == digest(secret), CalendarFeed.revoked_at.is_null())
        .first()
    )
    creator = await auth.principal_of(row["created_by"]) if row else None
    if row is None or creator is None or creator.role is Role.CENTRAL_VIEWER:
        raise NotFound(_UNKNOWN)
    try:
        where, name, zone = await _selection(runtime, creator, FeedKind(row["kind"]), row["target"])
    except NotFound:
        raise NotFound(_UNKNOWN) from None
    first, last = window(runtime.clock.now().date())
    sessions = await TrainingSession.select(*_SESSION_COLUMNS).where(
        *where, TrainingSession.day >= first, TrainingSession.day <= last
    )
    return build_calendar(
        uid=f"calendar-feed-{row['id']}@essaim",
        name=name,
        timezone=zone,
        events=[_event(runtime, session) for session in sessions],
    )
