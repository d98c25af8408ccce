"""Enrolment into cohorts: a hard capacity, a waitlist in order, offers of freed places.

The only module that touches the enrolment table. Every change of place runs in one write
transaction that first locks the cohort: ``SELECT ... FOR UPDATE`` on its row on PostgreSQL,
and on SQLite the ``BEGIN IMMEDIATE`` of every write transaction, which serialises writers.
Under the lock the places taken are counted, so that never more people hold a place than the
capacity, and waitlist positions stay 1..n without gaps, in the order the requests committed.

Places taken are the ``enrolled`` and the ``offered`` (a freed place held for the next person
on the waitlist until the offer's deadline, ``offer_hours`` of the site file). The application
moves with its enrolment, always through ``core.applications.service`` (``change_status``, and
``move_to_cohort`` for a transfer), which records the history.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import structlog
from piccolo.engine.postgres import PostgresEngine
from piccolo.query import Select

from core.applications.pipeline import ApplicationStatus
from core.applications.service import change_status, move_to_cohort
from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.clock import Clock
from core.cohorts.schemas import CohortStatus
from core.cohorts.service import get_cohort, reaches
from core.cohorts.tables import Cohort
from core.db.instants import as_utc
from core.enrolment.schemas import (
    EnrolmentCreate,
    EnrolmentRead,
    FinishedEnrolment,
    ReasonBody,
    Roster,
    RosterEntry,
    TransferCreate,
)
from core.enrolment.tables import Enrolment
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.jobs import service as jobs
from core.notifications import service as notifications
from core.notifications.templates import Template, WaitlistOffer
from core.reporting.enrolment_facts import (
    record_enrolments,
    refresh_cohorts,
    refresh_learners,
)
from core.sites.loader import Site, SiteRegistry
from core.sites.schema import EnrolmentSettings

log = structlog.get_logger(__name__)

T = TypeVar("T")
A = ApplicationStatus

OFFER_EXPIRY_JOB = "enrolment.offer_expiry"
"""The job that passes an unanswered offer to the next person, due at the offer's deadline."""

WOMEN_TARGET = 0.5
"""RULES.md C2: cohorts aim for at least 50% women; shown and warned about, never enforced."""


class EnrolmentStatus(enum.StrEnum):
    """Where a person stands in a cohort."""

    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    LEFT = "left"
    EXPIRED = "expired"
    TRANSFERRED = "transferred"


E = EnrolmentStatus
TAKING = (E.ENROLLED.value, E.OFFERED.value)
"""Statuses that hold one of the cohort's places."""
ACTIVE = (E.ENROLLED.value, E.OFFERED.value, E.WAITLISTED.value)

_COLUMNS = (
    Enrolment.id,
    Enrolment.cohort,
    Enrolment.learner,
    Enrolment.application,
    Enrolment.status,
    Enrolment.position,
    Enrolment.offer_deadline,
    Enrolment.transferred_from,
    Enrolment.created_at,
    Enrolment.updated_at,
)


def _db() -> Any:
    return Enrolment._meta.db


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else as_utc(instant)


def _read(row: dict[str, Any]) -> EnrolmentRead:
    return EnrolmentRead(
        **row
        | {
            "offer_deadline": _utc(row["offer_deadline"]),
            "created_at": _utc(row["created_at"]),
            "updated_at": _utc(row["updated_at"]),
        }
    )


async def _shielded(work: Awaitable[T]) -> T:
    """Run a write transaction to its end even when the client goes away (DESIGN.md)."""
    return await asyncio.shield(asyncio.ensure_future(work))


_LOCK_COHORT = (
    "SELECT id, site, program, track, title, starts_on, capacity FROM cohort WHERE id = {}"
)


async def _lock_cohort(cohort_id: int) -> dict[str, Any]:
    """The cohort's row, locked until the transaction ends (PostgreSQL); SQLite's write
    transaction already holds the database's write lock."""
    lock = " FOR UPDATE" if isinstance(_db(), PostgresEngine) else ""
    rows = await Cohort.raw(_LOCK_COHORT + lock, cohort_id)
    if not rows:
        raise NotFound(f"no cohort {cohort_id}")
    return rows[0]


async def _places(cohort_id: int) -> tuple[int, int]:
    """Places taken and people waiting, read under the cohort's lock (one query)."""
    rows = await Enrolment.raw(
        "SELECT COALESCE(SUM(CASE WHEN status IN ({}, {}) THEN 1 ELSE 0 END), 0) AS taken, "
        "COALESCE(SUM(CASE WHEN status = {} THEN 1 ELSE 0 END), 0) AS waiting "
        "FROM enrolment WHERE cohort = {}",
        *TAKING,
        E.WAITLISTED.value,
        cohort_id,
    )
    return int(rows[0]["taken"]), int(rows[0]["waiting"])


async def _managed_cohort(principal: Principal, cohort_id: int) -> Any:
    cohort = await get_cohort(principal, cohort_id)
    if not principal.can_manage_site(cohort.site):
        raise Forbidden("only the site's managers and admins enrol people into its cohorts")
    return cohort


# Enrolment --------------------------------------------------------------------------------


_APPLICATION_COLUMNS = ("id", "learner", "site", "program", "track", "cohort", "status")
_COHORT_AND_APPLICATION = (
    "SELECT c.id AS id, c.site AS site, c.program AS program, c.track AS track, "
    "c.title AS title, c.capacity AS capacity, "
    + "".join(f"a.{name} AS application_{name}, " for name in _APPLICATION_COLUMNS)
    + "e.cohort AS enrolled_in, e.status AS enrolment_status "
    "FROM cohort c LEFT JOIN application a ON a.id = {} LEFT JOIN enrolment e "
    f"ON e.application = a.id AND e.status IN ({', '.join(repr(s) for s in ACTIVE)}) "
    "WHERE c.id = {}"
)
"""The cohort, and the application with its active enrolment if it has one: one statement,
which locks the cohort's row on PostgreSQL (``FOR UPDATE OF c``)."""
_INSERT_ENROLMENT = (
    "INSERT INTO enrolment (cohort, learner, application, status, position, reason, "
    "created_at, updated_at) VALUES ({}, {}, {}, {}, {}, '', {}, {}) RETURNING "
    + ", ".join(column._meta.db_column_name for column in _COLUMNS)
)


async def enrol(
    principal: Principal, cohort_id: int, data: EnrolmentCreate, *, clock: Clock
) -> EnrolmentRead:
    """Enrol an admitted application, or put it on the waitlist when the cohort is full."""
    return await _shielded(_enrol(principal, cohort_id, data.application_id, clock=clock))


def _check_fits(application: Mapping[str, Any], cohort: Mapping[str, Any]) -> None:
    if (application["site"], application["program"]) != (cohort["site"], cohort["program"]):
        raise InvalidField(
            f"application {application['id']} is for {application['program']!r} at "
            f"{application['site']!r}, and cohort {cohort['id']} is a {cohort['program']!r} "
            f"cohort at {cohort['site']!r}",
            field="application_id",
        )
    if application["track"] not in (None, cohort["track"]):
        raise InvalidField(
            f"application {application['id']} is for track {application['track']!r}, and "
            f"cohort {cohort['id']} teaches {cohort['track']!r}",
            field="application_id",
        )
    if application["cohort"] not in (None, cohort["id"]):
        raise InvalidField(
            f"application {application['id']} asks for cohort {application['cohort']}, "
            f"not {cohort['id']}",
            field="application_id",
        )


def _check_admitted(row: Mapping[str, Any]) -> None:
    """Conflict unless the application of ``_COHORT_AND_APPLICATION``'s row is admitted and
    has no active enrolment."""
    if row["enrolment_status"] is not None:
        raise Conflict(
            f"application {row['application_id']} is already {row['enrolment_status']} "
            f"in cohort {row['enrolled_in']}",
            field="application_id",
        )
    if A(row["application_status"]) is not A.ADMITTED:
        raise Conflict(
            f"application {row['application_id']} is {row['application_status']}: only an "
            "admitted application is enrolled",
            field="application_id",
        )


async def _enrol(
    principal: Principal, cohort_id: int, application_id: int, *, clock: Clock
) -> EnrolmentRead:
    """The enrolment's transaction: every check is made on the rows read first in it, the
    cohort's under its lock; the places are then counted under the lock."""
    async with _db().transaction():
        lock = " FOR UPDATE OF c" if isinstance(_db(), PostgresEngine) else ""
        found = await Cohort.raw(_COHORT_AND_APPLICATION + lock, application_id, cohort_id)
        if not found or not reaches(principal, found[0]):
            raise NotFound(f"no cohort {cohort_id}")
        locked = found[0]
        if not principal.can_manage_site(locked["site"]):
            raise Forbidden("only the site's managers and admins enrol people into its cohorts")
        application = {name: locked[f"application_{name}"] for name in _APPLICATION_COLUMNS}
        if application["id"] is None or not principal.can_manage_site(application["site"]):
            raise NotFound(f"no application {application_id}", field="application_id")
        _check_fits(application, locked)
        _check_admitted(locked)
        taken, waiting = await _places(cohort_id)
        now = clock.now()
        if taken < int(locked["capacity"]) and waiting == 0:
            to, position = E.ENROLLED, None
            reason = f"Inscription dans le groupe {locked['title']}."
        else:
            to, position = E.WAITLISTED, waiting + 1
            reason = f"Groupe {locked['title']} complet : liste d'attente, rang {position}."
        rows = await Enrolment.raw(
            _INSERT_ENROLMENT,
            cohort_id,
            application["learner"],
            application_id,
            to.value,
            position,
            now,
            now,
        )
        await record_enrolments(cohort_id, [rows[0]["id"]])
        # Last: the status change ends by adding to the funnel's month under its row lock,
        # which every enrolment of the site, program and month then waits for until this
        # one commits.
        await change_status(
            application_id,
            A.ENROLLED if to is E.ENROLLED else A.WAITLISTED,
            actor_id=principal.account_id,
            reason=reason,
            clock=clock,
            read=A.ADMITTED,
        )
    log.info(
        "enrolment_created",
        enrolment_id=rows[0]["id"],
        cohort_id=cohort_id,
        status=to.value,
        position=position,
    )
    return _read(rows[0])


# Roster -------------------------------------------------------------------------------------


_ROSTER = (
    "SELECT e.id AS id, e.application AS application, e.learner AS learner, "
    "e.status AS status, e.position AS position, e.offer_deadline AS offer_deadline, "
    "l.first_name AS first_name, l.last_name AS last_name, l.gender AS gender, "
    "l.qpv_resident AS qpv_resident "
    "FROM enrolment e LEFT JOIN learner l ON l.id = e.learner WHERE e.cohort = {} "
    f"AND e.status IN ({', '.join(repr(status) for status in ACTIVE)}) "
    "ORDER BY e.position, e.id"
)


async def roster(
    principal: Principal, cohort_id: int, *, sites: SiteRegistry | None = None
) -> Roster:
    """The cohort's enrolled, offered and waitlisted people, its share of women (C2), and of
    residents of priority neighbourhoods against the target its site sets for its program,
    if any (read from ``sites``)."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not rosters")
    cohort = await get_cohort(principal, cohort_id)
    site = sites.get(cohort.site) if sites is not None else None
    settings = site.programs.get(cohort.program) if site is not None else None
    rows = await Enrolment.raw(_ROSTER, cohort_id)
    await audit.record_reads(principal, [row["learner"] for row in rows], "roster")
    lists: dict[str, list[RosterEntry]] = {status: [] for status in ACTIVE}
    for row in rows:
        lists[row["status"]].append(
            RosterEntry(
                enrolment=row["id"],
                application=row["application"],
                learner=row["learner"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                gender=row["gender"],
                position=row["position"],
                offer_deadline=_utc(row["offer_deadline"]),
            )
        )
    enrolled = lists[E.ENROLLED.value]
    women = sum(1 for entry in enrolled if entry.gender == "female")
    share = women / len(enrolled) if enrolled else None
    residents = sum(1 for row in rows if row["status"] == E.ENROLLED.value and row["qpv_resident"])
    qpv_share = residents / len(enrolled) if enrolled else None
    qpv_target = settings.priority_neighbourhood_target if settings else None
    return Roster(
        cohort=cohort.id,
        capacity=cohort.capacity,
        enrolled=enrolled,
        offered=lists[E.OFFERED.value],
        waitlist=lists[E.WAITLISTED.value],
        places_left=max(0, cohort.capacity - len(enrolled) - len(lists[E.OFFERED.value])),
        women_share=share,
        women_target=WOMEN_TARGET,
        women_warning=share is not None and share < WOMEN_TARGET,
        priority_neighbourhood_share=qpv_share,
        priority_neighbourhood_target=qpv_target,
        priority_neighbourhood_warning=(
            qpv_share is not None and qpv_target is not None and qpv_share < qpv_target
        ),
    )


# Offers, withdrawals, leaving the waitlist --------------------------------------------------


async def _managed_enrolment(principal: Principal, enrolment_id: int) -> dict[str, Any]:
    """The enrolment, when the caller manages its cohort's site; 404 out of scope, else 403."""
    row = (
        await Enrolment.select(*_COLUMNS, Enrolment.cohort.site.as_alias("site"))
        .where(Enrolment.id == enrolment_id)
        .first()
    )
    if row is None or not principal.can_see_site(row["site"]):
        raise NotFound(f"no enrolment {enrolment_id}")
    if not principal.can_manage_site(row["site"]):
        raise Forbidden("only the site's managers and admins change its enrolments")
    return row


async def _current(enrolment_id: int, expected: EnrolmentStatus, what: str) -> dict[str, Any]:
    """The enrolment re-read under the cohort's lock; Conflict unless it is ``expected``."""
    row = await Enrolment.select(*_COLUMNS).where(Enrolment.id == enrolment_id).first()
    assert row is not None
    if row["status"] != expected.value:
        raise Conflict(f"enrolment {enrolment_id} is {row['status']}: {what}")
    return row


async def _close(row: dict[str, Any], to: EnrolmentStatus, reason: str, now: datetime) -> None:
    """Close an enrolment; a waitlisted one leaves a gap that the people behind it close."""
    await Enrolment.update(
        {
            Enrolment.status: to.value,
            Enrolment.position: None,
            Enrolment.offer_deadline: None,
            Enrolment.reason: reason,
            Enrolment.updated_at: now,
        }
    ).where(Enrolment.id == row["id"])
    if row["status"] == E.WAITLISTED.value:
        await _close_gap(int(row["cohort"]), int(row["position"]))


async def _close_gap(cohort_id: int, position: int) -> None:
    await Enrolment.update({Enrolment.position: Enrolment.position - 1}).where(
        Enrolment.cohort == cohort_id,
        Enrolment.status == E.WAITLISTED.value,
        Enrolment.position > position,
    )


def offer_deadline(now: datetime, site: Site | None) -> datetime:
    """When an offer made ``now`` at ``site`` passes to the next person: ``offer_hours`` of
    the site file's ``[enrolment]`` later (the default for a site no longer in the folder)."""
    settings = site.config.enrolment if site is not None else EnrolmentSettings()
    return now + timedelta(hours=settings.offer_hours)


async def _offer_free_places(locked: dict[str, Any], *, clock: Clock, sites: SiteRegistry) -> None:
    """Offer each free place to the first on the waitlist, under the cohort's lock.

    The offer holds the place until its deadline; a job passes it on then, and the person
    is told through ``core.notifications`` (in the same transaction: the message exists
    exactly when the offer does).
    """
    cohort_id = int(locked["id"])
    site = sites.get(locked["site"])
    while True:
        taken, waiting = await _places(cohort_id)
        if taken >= int(locked["capacity"]) or waiting == 0:
            return
        first = (
            await Enrolment.select(Enrolment.id, Enrolment.learner, Enrolment.application)
            .where(
                Enrolment.cohort == cohort_id,
                Enrolment.status == E.WAITLISTED.value,
                Enrolment.position == 1,
            )
            .first()
        )
        assert first is not None, "waitlist positions start at 1"
        now = clock.now()
        deadline = offer_deadline(now, site)
        await Enrolment.update(
            {
                Enrolment.status: E.OFFERED.value,
                Enrolment.position: None,
                Enrolment.offer_deadline: deadline,
                Enrolment.updated_at: now,
            }
        ).where(Enrolment.id == first["id"])
        await _close_gap(cohort_id, 1)
        await jobs.enqueue(
            OFFER_EXPIRY_JOB, {"enrolment_id": int(first["id"])}, run_at=deadline, clock=clock
        )
        await notifications.notify(
            int(first["learner"]),
            Template.WAITLIST_OFFER,
            WaitlistOffer(
                program=str(locked["program"]).upper(),
                site_name=site.config.name if site else locked["site"],
                cohort=locked["title"],
                deadline=deadline,
                timezone=site.config.timezone if site else "Europe/Paris",
                starts_on=locked["starts_on"],
            ),
            clock=clock,
            site=locked["site"],
        )
        log.info("enrolment_place_offered", enrolment_id=first["id"], cohort_id=cohort_id)


async def _reread(enrolment_id: int) -> EnrolmentRead:
    row = await Enrolment.select(*_COLUMNS).where(Enrolment.id == enrolment_id).first()
    assert row is not None
    return _read(row)


async def withdraw(
    principal: Principal,
    enrolment_id: int,
    data: ReasonBody,
    *,
    clock: Clock,
    sites: SiteRegistry,
) -> EnrolmentRead:
    """An enrolled person leaves the cohort; the place is offered to the next on the waitlist."""
    row = await _managed_enrolment(principal, enrolment_id)
    reason = data.reason.strip()
    if not reason:
        raise InvalidField("say why: a withdrawal counts in the dropout figures", field="reason")

    async def work() -> EnrolmentRead:
        async with _db().transaction():
            locked = await _lock_cohort(int(row["cohort"]))
            current = await _current(
                enrolment_id,
                E.ENROLLED,
                "only an enrolled person withdraws; a waitlisted one leaves the waitlist",
            )
            await _close(current, E.WITHDRAWN, reason, clock.now())
            await change_status(
                int(row["application"]),
                A.WITHDRAWN,
                actor_id=principal.account_id,
                reason=reason,
                clock=clock,
            )
            await _offer_free_places(locked, clock=clock, sites=sites)
            await refresh_cohorts([int(row["cohort"])])
        return await _reread(enrolment_id)

    return await _shielded(work())


async def accept(principal: Principal, enrolment_id: int, *, clock: Clock) -> EnrolmentRead:
    """The person offered a place takes it, before the offer's deadline."""
    row = await _managed_enrolment(principal, enrolment_id)

    async def work() -> EnrolmentRead:
        async with _db().transaction():
            await _lock_cohort(int(row["cohort"]))
            current = await _current(enrolment_id, E.OFFERED, "there is no place offered to accept")
            now = clock.now()
            deadline = _utc(current["offer_deadline"])
            if deadline is not None and now >= deadline:
                raise Conflict(
                    f"the offer of enrolment {enrolment_id} expired at {deadline.isoformat()}: "
                    "the place goes to the next person"
                )
            await Enrolment.update(
                {
                    Enrolment.status: E.ENROLLED.value,
                    Enrolment.offer_deadline: None,
                    Enrolment.updated_at: now,
                }
            ).where(Enrolment.id == enrolment_id)
            await change_status(
                int(row["application"]),
                A.ENROLLED,
                actor_id=principal.account_id,
                reason="Place proposée acceptée.",
                clock=clock,
            )
            await refresh_cohorts([int(row["cohort"])])
        return await _reread(enrolment_id)

    return await _shielded(work())


async def decline(
    principal: Principal,
    enrolment_id: int,
    data: ReasonBody,
    *,
    clock: Clock,
    sites: SiteRegistry,
) -> EnrolmentRead:
    """The person offered a place declines it; the place is offered to the next."""
    row = await _managed_enrolment(principal, enrolment_id)
    reason = data.reason.strip() or "Place proposée refusée."
    return await _shielded(
        _leave(
            principal,
            row,
            E.OFFERED,
            E.DECLINED,
            reason,
            "there is no place offered to decline",
            clock=clock,
            sites=sites,
        )
    )


async def leave_waitlist(
    principal: Principal,
    enrolment_id: int,
    data: ReasonBody,
    *,
    clock: Clock,
    sites: SiteRegistry,
) -> EnrolmentRead:
    """The person leaves the waitlist; those behind move up one place."""
    row = await _managed_enrolment(principal, enrolment_id)
    reason = data.reason.strip() or "Sortie de la liste d'attente."
    return await _shielded(
        _leave(
            principal,
            row,
            E.WAITLISTED,
            E.LEFT,
            reason,
            "only a waitlisted person leaves the waitlist",
            clock=clock,
            sites=sites,
        )
    )


async def _leave(
    principal: Principal | None,
    row: dict[str, Any],
    expected: EnrolmentStatus,
    to: EnrolmentStatus,
    reason: str,
    what: str,
    *,
    clock: Clock,
    sites: SiteRegistry,
) -> EnrolmentRead:
    """Close a waitlisted or offered enrolment, withdraw its application, offer free places."""
    enrolment_id = int(row["id"])
    async with _db().transaction():
        locked = await _lock_cohort(int(row["cohort"]))
        current = await _current(enrolment_id, expected, what)
        await _close(current, to, reason, clock.now())
        await change_status(
            int(row["application"]),
            A.WITHDRAWN,
            actor_id=principal.account_id if principal else None,
            reason=reason,
            clock=clock,
        )
        await _offer_free_places(locked, clock=clock, sites=sites)
        await refresh_cohorts([int(row["cohort"])])
    return await _reread(enrolment_id)


async def expire_offer(enrolment_id: int, *, clock: Clock, sites: SiteRegistry) -> None:
    """The job due at an offer's deadline: an offer still unanswered passes to the next person.

    Idempotent: an offer accepted, declined or already expired is left alone, and one whose
    deadline has not come (a clock behind) is looked at again at its deadline.
    """
    row = await Enrolment.select(*_COLUMNS).where(Enrolment.id == enrolment_id).first()
    if row is None or row["status"] != E.OFFERED.value:
        return
    deadline = _utc(row["offer_deadline"])
    if deadline is not None and clock.now() < deadline:
        await jobs.enqueue(
            OFFER_EXPIRY_JOB, {"enrolment_id": enrolment_id}, run_at=deadline, clock=clock
        )
        return
    try:
        await _leave(
            None,
            row,
            E.OFFERED,
            E.EXPIRED,
            "Pas de réponse à la place proposée avant la date limite.",
            "the offer was answered meanwhile",
            clock=clock,
            sites=sites,
        )
    except Conflict:
        return
    log.info("enrolment_offer_expired", enrolment_id=enrolment_id)


# Transfers ----------------------------------------------------------------------------------


async def transfer(
    principal: Principal,
    enrolment_id: int,
    data: TransferCreate,
    *,
    clock: Clock,
    sites: SiteRegistry,
) -> EnrolmentRead:
    """Move an enrolled or waitlisted person to another cohort of the same program and track.

    The old enrolment is closed as ``transferred`` and the new one names it in
    ``transferred_from``, so that the history stays whole; the application names the new
    cohort and its site, and its history records the move, who made it and why. An enrolled
    person moves only into a free place (a waitlist there comes first), and their old place is
    offered to the next; a waitlisted person joins the other cohort's waitlist at its end, or
    takes a free place.
    """
    row = await _managed_enrolment(principal, enrolment_id)
    if row["status"] not in (E.ENROLLED.value, E.WAITLISTED.value):
        raise Conflict(
            f"enrolment {enrolment_id} is {row['status']}: only an enrolled or waitlisted "
            "person is transferred"
        )
    try:
        target = await _managed_cohort(principal, data.cohort_id)
    except NotFound:
        raise NotFound(f"no cohort {data.cohort_id}", field="cohort_id") from None
    if target.id == row["cohort"]:
        raise Conflict(f"enrolment {enrolment_id} is already in cohort {target.id}")
    source = await Cohort.select(Cohort.program, Cohort.track).where(Cohort.id == row["cohort"])
    if (source[0]["program"], source[0]["track"]) != (target.program, target.track):
        raise InvalidField(
            f"cohort {target.id} teaches {target.program!r} {target.track!r}; a transfer stays "
            f"in {source[0]['program']!r} {source[0]['track']!r}",
            field="cohort_id",
        )
    moved = f"Transfert vers le groupe {target.title}"
    if target.site != row["site"]:
        site = sites.get(target.site)
        moved += f" ({site.config.name if site else target.site})"
    given = data.reason.strip()
    reason = given or f"{moved}."
    # The application's history says where it went, whatever reason the manager gave.
    history_reason = f"{moved} : {given}" if given else reason

    async def work() -> EnrolmentRead:
        async with _db().transaction():
            # Both cohorts locked, always in the same order, so that two opposite transfers
            # cannot wait on each other.
            locks = {c: await _lock_cohort(c) for c in sorted({int(row["cohort"]), target.id})}
            old = locks[int(row["cohort"])]
            current = await Enrolment.select(*_COLUMNS).where(Enrolment.id == enrolment_id)
            if current[0]["status"] != row["status"]:
                raise Conflict(f"enrolment {enrolment_id} changed meanwhile; reload it")
            taken, waiting = await _places(target.id)
            free = taken < target.capacity and waiting == 0
            if row["status"] == E.ENROLLED.value and not free:
                raise Conflict(
                    f"cohort {target.id} has no free place: an enrolled person moves only into "
                    "a free place, and the people on its waitlist come first"
                )
            now = clock.now()
            status, position = (E.ENROLLED, None) if free else (E.WAITLISTED, waiting + 1)
            await _close(current[0], E.TRANSFERRED, reason, now)
            rows = await Enrolment.insert(
                Enrolment(
                    cohort=target.id,
                    learner=row["learner"],
                    application=row["application"],
                    status=status.value,
                    position=position,
                    transferred_from=enrolment_id,
                    reason=reason,
                    created_at=now,
                    updated_at=now,
                )
            ).returning(*_COLUMNS)
            await move_to_cohort(
                int(row["application"]),
                target,
                A.ENROLLED if status is E.ENROLLED else A.WAITLISTED,
                actor_id=principal.account_id,
                reason=history_reason,
                clock=clock,
            )
            await _offer_free_places(old, clock=clock, sites=sites)
            await refresh_cohorts(locks)
        log.info("enrolment_transferred", enrolment_id=enrolment_id, new_enrolment_id=rows[0]["id"])
        return _read(rows[0])

    return await _shielded(work())


async def enrolments_of(principal: Principal, application_id: int) -> list[EnrolmentRead]:
    """Every enrolment an application has had, oldest first: transfers stay in the history."""
    rows = (
        await Enrolment.select(*_COLUMNS, Enrolment.cohort.site.as_alias("site"))
        .where(Enrolment.application == application_id)
        .order_by(Enrolment.id)
    )
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not enrolments")
    rows = [row for row in rows if principal.can_manage_site(row.pop("site"))]
    if not rows:
        raise NotFound(f"no enrolment for application {application_id}")
    return [_read(row) for row in rows]


async def get_enrolment(principal: Principal, enrolment_id: int) -> EnrolmentRead:
    """One enrolment of a cohort the caller reaches; another is not found, whether it
    exists or not. What the caller may do with it is the calling domain's rule."""
    row = await Enrolment.select(*_COLUMNS).where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFound(f"no enrolment {enrolment_id}")
    try:
        await get_cohort(principal, int(row["cohort"]))
    except NotFound:
        raise NotFound(f"no enrolment {enrolment_id}") from None
    return _read(row)


async def finished_enrolments(
    site: str,
    ended_by: date,
    *,
    excluding: Select,
    limit: int,
    offset: int,
    ended_from: date | None = None,
) -> tuple[list[FinishedEnrolment], int]:
    """A page of the people enrolled in ``site``'s cohorts that ended on or before
    ``ended_by`` (and on or after ``ended_from`` when given; cancelled ones aside), oldest
    cohort first, and their total, leaving out the enrolments whose ids ``excluding``
    selects; ``limit`` 0 asks for the total only. Unscoped: the caller checks the site."""
    filters = (
        Enrolment.cohort.site == site,
        Enrolment.cohort.status != CohortStatus.CANCELLED.value,
        Enrolment.cohort.ends_on <= ended_by,
        *([Enrolment.cohort.ends_on >= ended_from] if ended_from is not None else []),
        Enrolment.status == E.ENROLLED.value,
        Enrolment.id.not_in(excluding),
    )
    query = (
        Enrolment.select(
            Enrolment.id.as_alias("enrolment"),
            Enrolment.learner,
            Enrolment.learner.first_name.as_alias("first_name"),
            Enrolment.learner.last_name.as_alias("last_name"),
            Enrolment.cohort,
            Enrolment.cohort.title.as_alias("cohort_title"),
            Enrolment.cohort.ends_on.as_alias("ended_on"),
        )
        .where(*filters)
        .order_by(Enrolment.cohort.ends_on, Enrolment.cohort, Enrolment.id)
        .limit(limit)
        .offset(offset)
    )
    # A caller whose page is already full asks only for the total.
    rows = await query if limit else []
    total = await Enrolment.count().where(*filters)
    return [FinishedEnrolment(**row) for row in rows], int(total)


async def withdrawn_since(site: str, since: datetime, *, excluding: Select) -> list[int]:
    """The enrolments of ``site``'s cohorts withdrawn at or after ``since`` (the people who
    left during the training), leaving out those ``excluding`` selects. Unscoped: the caller
    checks the site."""
    rows = await Enrolment.select(Enrolment.id).where(
        Enrolment.cohort.site == site,
        Enrolment.status == E.WITHDRAWN.value,
        Enrolment.updated_at >= since,
        Enrolment.id.not_in(excluding),
    )
    return [int(row["id"]) for row in rows]


async def move_enrolments(source_id: int, into_id: int) -> None:
    """Give the enrolments of a learner record being merged away to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``: an enrolment still pointing
    at the removed record would block the merge (the foreign key restricts).
    """
    await Enrolment.update({Enrolment.learner: into_id}).where(Enrolment.learner == source_id)
    await refresh_learners([into_id])
