"""Volunteers of a site, their availability and the sessions they are booked for.

The only module on the volunteer table. A site's managers and admins manage its volunteers;
the central team sees volunteering only as aggregated hours (``report``), trainers not at
all. A former learner who volunteers is one person: their volunteer row points at their
learner record, and their names and contact are read from it, never copied, so that a
correction or an erasure of the record reaches the volunteer too. Every change is audited
with ids and field names only.
"""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from piccolo.query.functions.aggregate import Count

from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.learners import service as learners
from core.learners.duplicates import MIN_PHONE_DIGITS, email_key, phone_key
from core.runtime import Runtime
from core.scheduling import availability, staffing
from core.scheduling import service as scheduling
from core.scheduling.conflicts import Person, PersonKind
from core.scheduling.schemas import AvailabilityInput, AvailabilityRead
from core.sites.loader import SiteRegistry
from core.sites.schema import PartnerKind
from core.volunteering.schemas import (
    SessionVolunteers,
    VolunteerCreate,
    VolunteerRead,
    VolunteerUpdate,
)
from core.volunteering.tables import Volunteer

log = structlog.get_logger(__name__)

LENDING_KINDS = frozenset({PartnerKind.VOLUNTEERING, PartnerKind.HOST_COMPANY})
"""A partner lends volunteers when its kinds include one of these."""

PERSONAL = ("first_name", "last_name", "email", "phone")
"""A volunteer's own names and contact; a former learner's are those of their record."""

_OWN = (
    Volunteer.id,
    Volunteer.site,
    Volunteer.learner,
    *(getattr(Volunteer, name) for name in PERSONAL),
    Volunteer.skills,
    Volunteer.partner,
    Volunteer.active,
    Volunteer.pending,
    Volunteer.created_at,
)
_COLUMNS = (
    *_OWN,
    *(getattr(Volunteer.learner, name).as_alias(f"learner_{name}") for name in PERSONAL),
)


def _read(row: dict[str, Any]) -> VolunteerRead:
    fields = {name: row[name] for name in VolunteerRead.__struct_fields__ if name in row}
    if row["learner"] is not None:
        fields |= {name: row[f"learner_{name}"] or "" for name in PERSONAL}
    fields["skills"] = row["skills"].split()
    return msgspec.convert(fields, VolunteerRead)


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting volunteers to the caller's reach; None when it reaches none."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden(
            "the central team sees volunteering as aggregated hours "
            "(/api/v1/reports/volunteering), not volunteers"
        )
    if principal.role is Role.TRAINER:
        raise Forbidden("volunteers are managed by their site's managers")
    if principal.role is Role.ADMIN:
        return []
    if principal.sites:
        return [Volunteer.site.is_in(sorted(principal.sites))]
    return None


async def _row(principal: Principal, volunteer_id: int, field: str | None = None) -> VolunteerRead:
    """A volunteer the caller manages; NotFound (naming ``field``) otherwise."""
    scope = _scope(principal)
    row = None
    if scope is not None:
        row = await Volunteer.select(*_COLUMNS).where(Volunteer.id == volunteer_id, *scope).first()
    if row is None:
        raise NotFound(f"no volunteer {volunteer_id}", field=field)
    return _read(row)


def _check_partner(sites: SiteRegistry, slug: str, key: str) -> None:
    site = sites.get(slug)
    partner = next((p for p in site.config.partners if p.key == key), None) if site else None
    if partner is None:
        raise InvalidField(f"sites/{slug}.toml names no partner {key!r}", field="partner")
    if not LENDING_KINDS & set(partner.kinds):
        raise InvalidField(
            f"partner {key!r} of sites/{slug}.toml lends no volunteers: its kinds include "
            "neither volunteering nor host_company",
            field="partner",
        )


def _contact(values: dict[str, Any]) -> dict[str, Any]:
    """Names and contact as stored: trimmed, the e-mail folded; InvalidField for a phone
    number too short to reach anyone."""
    stored = {}
    for name, value in values.items():
        if name == "email":
            value = email_key(value)
        elif name in PERSONAL:
            value = value.strip()
        if name == "phone" and value and not phone_key(value):
            raise InvalidField(
                f"a phone number has at least {MIN_PHONE_DIGITS} digits", field="phone"
            )
        stored[name] = value
    return stored


async def _check_learner(principal: Principal, data: VolunteerCreate) -> None:
    assert data.learner is not None
    for name in PERSONAL:
        if getattr(data, name) is not None:
            raise InvalidField(
                "a former learner's names and contact are those of their learner record: "
                "give only the learner, and correct the record itself",
                field=name,
            )
    try:
        await learners.row_in_scope(principal, data.learner)
    except NotFound:
        raise NotFound(f"no learner {data.learner}", field="learner") from None
    existing = await Volunteer.select(Volunteer.id).where(Volunteer.learner == data.learner).first()
    if existing:
        raise Conflict(
            f"learner {data.learner} is already volunteer {existing['id']}", field="learner"
        )


async def create_volunteer(
    runtime: Runtime, principal: Principal, data: VolunteerCreate, *, pending: bool = False
) -> VolunteerRead:
    """Record a volunteer at a site the caller manages: a former learner by their record,
    anyone else by name. ``pending`` (a sign-up on the public page) records them inactive
    until a site manager accepts them."""
    _scope(principal)
    if runtime.sites.get(data.site) is None or not principal.can_see_site(data.site):
        raise NotFound(f"no site {data.site!r}", field="site")
    if not principal.can_manage_site(data.site):
        raise Forbidden("only the site's managers and admins record volunteers")
    if data.learner is not None:
        await _check_learner(principal, data)
        own: dict[str, Any] = {}
    else:
        for name in ("first_name", "last_name"):
            if getattr(data, name) is None:
                raise InvalidField(
                    "a volunteer who is not a former learner needs a first and a last name",
                    field=name,
                )
        own = _contact({name: getattr(data, name) or "" for name in PERSONAL})
    if data.partner is not None:
        _check_partner(runtime.sites, data.site, data.partner)
    now = runtime.clock.now()
    async with Volunteer._meta.db.transaction():
        rows = await Volunteer.insert(
            Volunteer(
                site=data.site,
                learner=data.learner,
                skills=" ".join(dict.fromkeys(data.skills)),
                partner=data.partner,
                active=not pending,
                pending=pending,
                created_at=now,
                **own,
            )
        ).returning(Volunteer.id)
        volunteer_id = rows[0]["id"]
        details: dict[str, int | bool] = {"learner": data.learner} if data.learner else {}
        if pending:
            details["pending"] = True
        await audit.record(
            principal.account_id,
            "volunteer.created",
            "volunteer",
            volunteer_id,
            at=now,
            details=details,
        )
    log.info("volunteer_created", volunteer_id=volunteer_id, site=data.site)
    return await _row(principal, volunteer_id)


async def list_volunteers(
    principal: Principal,
    *,
    site: str | None = None,
    partner: str | None = None,
    active: bool | None = None,
    pending: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[VolunteerRead], int]:
    """A page of the volunteers the caller manages, oldest first, and their total;
    ``pending`` those who signed up on the public page and wait to be accepted (or not)."""
    scope = _scope(principal)
    if scope is None:
        return [], 0
    filters: list[Any] = list(scope)
    if site:
        filters.append(Volunteer.site == site)
    if partner:
        filters.append(Volunteer.partner == partner)
    if active is not None:
        filters.append(Volunteer.active == active)
    if pending is not None:
        filters.append(Volunteer.pending == pending)
    rows = (
        await Volunteer.select(*_COLUMNS)
        .where(*filters)
        .order_by(Volunteer.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Volunteer.count().where(*filters)
    return [_read(row) for row in rows], total


async def count_volunteers(principal: Principal) -> dict[str, int]:
    """How many volunteers the caller manages are ``pending`` (to accept), ``active`` and
    ``former`` (deactivated)."""
    counts = {"pending": 0, "active": 0, "former": 0}
    scope = _scope(principal)
    if scope is None:
        return counts
    rows = (
        await Volunteer.select(Volunteer.active, Volunteer.pending, Count(Volunteer.id))
        .where(*scope)
        .group_by(Volunteer.active, Volunteer.pending)
    )
    for row in rows:
        state = "pending" if row["pending"] else "active" if row["active"] else "former"
        counts[state] += int(row["count"])
    return counts


async def get_volunteer(principal: Principal, volunteer_id: int) -> VolunteerRead:
    """One volunteer the caller manages; another is not found."""
    return await _row(principal, volunteer_id)


async def update_volunteer(
    runtime: Runtime, principal: Principal, volunteer_id: int, data: VolunteerUpdate
) -> VolunteerRead:
    """Change a volunteer the caller manages; deactivating takes them off the sessions
    that have not started. The audit names the fields changed."""
    current = await _row(principal, volunteer_id)
    given = {
        name: getattr(data, name)
        for name in VolunteerUpdate.__struct_fields__
        if getattr(data, name) is not msgspec.UNSET
    }
    if current.learner is not None:
        for name in PERSONAL:
            if name in given:
                raise InvalidField(
                    f"volunteer {volunteer_id} is a former learner: change their "
                    f"{name.replace('_', ' ')} on learner record {current.learner}",
                    field=name,
                )
    if isinstance(given.get("partner"), str):
        _check_partner(runtime.sites, current.site, given["partner"])
    changes = _contact({k: v for k, v in given.items() if k in PERSONAL})
    if "skills" in given:
        changes["skills"] = " ".join(dict.fromkeys(given["skills"]))
    for name in ("partner", "active"):
        if name in given:
            changes[name] = given[name]
    if given.get("active") is True and current.pending:
        changes["pending"] = False  # a manager accepting a sign-up from the public page
    stored = msgspec.to_builtins(current) | {"skills": " ".join(current.skills)}
    changed = sorted(name for name, value in changes.items() if stored[name] != value)
    now = runtime.clock.now()
    async with Volunteer._meta.db.transaction():
        if changed:
            await Volunteer.update({name: changes[name] for name in changed}).where(
                Volunteer.id == volunteer_id
            )
            await audit.record(
                principal.account_id,
                "volunteer.updated",
                "volunteer",
                volunteer_id,
                at=now,
                details={"fields": changed},
            )
        if "active" in changed and not changes["active"]:
            sessions = await staffing.unbook_upcoming(volunteer_id, now)
            await audit.record(
                principal.account_id,
                "volunteer.deactivated",
                "volunteer",
                volunteer_id,
                at=now,
                details={"unbooked_sessions": len(sessions)},
            )
    return await _row(principal, volunteer_id)


async def volunteer_availability(principal: Principal, volunteer_id: int) -> AvailabilityRead:
    """The windows a volunteer the caller manages declared."""
    await _row(principal, volunteer_id)
    return await availability.read_windows(Person(PersonKind.VOLUNTEER, volunteer_id))


async def set_volunteer_availability(
    runtime: Runtime, principal: Principal, volunteer_id: int, data: AvailabilityInput
) -> AvailabilityRead:
    """Replace the windows of a volunteer the caller manages."""
    await _row(principal, volunteer_id)
    person = Person(PersonKind.VOLUNTEER, volunteer_id)
    return await availability.replace_windows(runtime, principal, person, data)


async def _managed_session(principal: Principal, session_id: int) -> int:
    """The id of a session the caller manages; NotFound out of reach, Forbidden to readers."""
    _scope(principal)
    session = await scheduling.get_session(principal, session_id)
    await cohorts.managed_cohort(principal, session.cohort)
    return session.id


async def _session_volunteers(session_id: int) -> SessionVolunteers:
    ids = await staffing.volunteers_of(session_id)
    rows = await Volunteer.select(*_COLUMNS).where(Volunteer.id.is_in(ids)) if ids else []
    by_id = {row["id"]: _read(row) for row in rows}
    return SessionVolunteers(session=session_id, volunteers=[by_id[i] for i in ids])


async def session_volunteers(principal: Principal, session_id: int) -> SessionVolunteers:
    """The volunteers booked for a session the caller manages."""
    return await _session_volunteers(await _managed_session(principal, session_id))


async def book_volunteer(
    runtime: Runtime, principal: Principal, session_id: int, volunteer_id: int
) -> SessionVolunteers:
    """Book an active volunteer the caller manages for a session the caller manages; the
    session's conflicts then show whether the volunteer is free and available."""
    await _managed_session(principal, session_id)
    volunteer = await _row(principal, volunteer_id, field="volunteer")
    if not volunteer.active:
        raise InvalidField(f"volunteer {volunteer_id} is not active", field="volunteer")
    now = runtime.clock.now()
    async with Volunteer._meta.db.transaction():
        await staffing.book(session_id, volunteer_id, by=principal.account_id, at=now)
        await audit.record(
            principal.account_id,
            "session.volunteer_booked",
            "session",
            session_id,
            at=now,
            details={"volunteer": volunteer_id},
        )
    return await _session_volunteers(session_id)


async def unbook_volunteer(
    runtime: Runtime, principal: Principal, session_id: int, volunteer_id: int
) -> None:
    """Take a volunteer off a session the caller manages."""
    await _managed_session(principal, session_id)
    now = runtime.clock.now()
    async with Volunteer._meta.db.transaction():
        if not await staffing.unbook(session_id, volunteer_id):
            raise NotFound(f"volunteer {volunteer_id} is not booked for session {session_id}")
        await audit.record(
            principal.account_id,
            "session.volunteer_unbooked",
            "session",
            session_id,
            at=now,
            details={"volunteer": volunteer_id},
        )


async def move_volunteer(source_id: int, into_id: int) -> None:
    """A learner-merge step: the volunteer of the removed record becomes the kept one's.

    Refused (nothing is merged) when both records are volunteers: two volunteer rows of one
    person need a person to decide which one stays.
    """
    source = await Volunteer.select(Volunteer.id).where(Volunteer.learner == source_id).first()
    if source is None:
        return
    into = await Volunteer.select(Volunteer.id).where(Volunteer.learner == into_id).first()
    if into is not None:
        raise Conflict(
            f"learners {source_id} and {into_id} are both volunteers ({source['id']} and "
            f"{into['id']}); nothing was merged"
        )
    await Volunteer.update({Volunteer.learner: into_id}).where(Volunteer.id == source["id"])
