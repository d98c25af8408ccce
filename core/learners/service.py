"""Learner records, scoped to the caller's sites, every read of one and every change audited.

With ``consent`` and ``merge``, the only modules that touch the learners' tables.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.learners.ages import under_26
from core.learners.duplicates import email_key, find_duplicates, fold, name_key, phone_key
from core.learners.rules import Sites, check_record, site_exists
from core.learners.schemas import (
    DuplicateMatch,
    LearnerContact,
    LearnerCreate,
    LearnerRead,
    LearnerSnapshot,
    LearnerSummary,
    LearnerUpdate,
)
from core.learners.tables import Learner
from core.reporting.enrolment_facts import refresh_learners

EDITABLE = LearnerUpdate.__struct_fields__
"""The fields of a record its site's staff may change."""

RESTRICTED = ("refugee_status", "notes")
"""Shown only to the learner's site managers and admins; never in a list or an export."""

_SUMMARY = tuple(getattr(Learner, name) for name in LearnerSummary.__struct_fields__)
RECORD_COLUMNS = (Learner.id, *(getattr(Learner, name) for name in EDITABLE))
"""The columns of a whole record but its site (which ``row_in_scope`` always selects)."""
_SNAPSHOT = tuple(getattr(Learner, name) for name in LearnerSnapshot.__struct_fields__)
_CONTACT = tuple(getattr(Learner, name) for name in LearnerContact.__struct_fields__)


class PossibleDuplicate(Conflict):
    """Records at some site look like the person being recorded; the 409 lists them."""

    def __init__(self, matches: list[DuplicateMatch]) -> None:
        super().__init__(
            f"{len(matches)} record(s) may be this person already; check with them, then "
            "send confirm_new_person: true to record a new person anyway",
            field="confirm_new_person",
        )
        self.matches = matches


class ErasedLearner(Conflict):
    """The learner was erased: their record no longer changes."""

    def __init__(self, learner_id: int) -> None:
        super().__init__(f"learner {learner_id} was erased: their record can no longer change")


def scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting learners to the caller's reach; None when it reaches none.

    The central team works on aggregates, never on learner records; trainers will
    see the learners of their cohorts once enrolments exist.
    """
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not learner records")
    if principal.role is Role.ADMIN:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Learner.site.is_in(sorted(principal.sites))]
    return None


async def row_in_scope(principal: Principal, learner_id: int, *columns: Any) -> dict[str, Any]:
    """The learner's site and ``columns`` if the caller reaches it; else NotFound."""
    reach = scope(principal)
    row = None
    if reach is not None:
        row = (
            await Learner.select(Learner.site, *columns)
            .where(Learner.id == learner_id, *reach)
            .first()
        )
    if row is None:
        raise NotFound(f"no learner {learner_id}")
    return row


async def row_to_manage(
    principal: Principal, learner_id: int, *columns: Any, erased_too: bool = False
) -> dict[str, Any]:
    """Like ``row_in_scope``, and Forbidden unless the caller manages the learner's site;
    Conflict when the record was erased, unless ``erased_too`` (a read)."""
    row = await row_in_scope(principal, learner_id, *columns, Learner.erased_at)
    if not principal.can_manage_site(row["site"]):
        raise Forbidden("only the learner's site managers and admins change the record")
    if row.pop("erased_at") is not None and not erased_too:
        raise ErasedLearner(learner_id)
    return row


def to_read(row: Mapping[str, Any], principal: Principal, today: date) -> LearnerRead:
    """The record as ``principal`` may see it."""
    fields = {name: row[name] for name in LearnerRead.__struct_fields__ if name in row}
    fields["languages"] = row["languages"].split()
    fields["under_26"] = under_26(row["birth_date"], today)
    if not principal.can_manage_site(row["site"]):
        for name in RESTRICTED:
            del fields[name]
    return msgspec.convert(fields, LearnerRead)


_STORED_AS = {
    "first_name": str.strip,
    "last_name": str.strip,
    "phone": str.strip,
    "email": email_key,
    "languages": lambda languages: " ".join(dict.fromkeys(languages)),
}
"""How request values of these fields are stored: names and contact trimmed, the e-mail as
compared, languages once each, space-separated."""


def _columns(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Request values as stored: enums as their values, names and contact trimmed."""
    return _stored(
        {
            name: value.value if isinstance(value, enum.Enum) else value
            for name, value in changes.items()
        }
    )


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (enums already as their values) with names and contact as stored."""
    for name, store in _STORED_AS.items():
        if name in values and values[name] is not None:
            values[name] = store(values[name])
    return values


def with_keys(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the folded keys duplicates and search use, from its names and phone."""
    row["name_key"] = name_key(row["first_name"], row["last_name"])
    row["phone_key"] = phone_key(row["phone"])
    return row


def new_record(data: LearnerCreate, sites: Sites, today: date) -> dict[str, Any]:
    """The columns of a new record as stored, with its keys; InvalidField for a broken rule.

    The API and the bulk import both build records here.
    """
    # The struct's fields in order, enums as their values: the site, then EDITABLE's. (A
    # bulk import builds 100,000 records here: this is a tenth of what a dict
    # comprehension over the fields took.)
    row = msgspec.to_builtins(data, builtin_types=(date,))
    del row["confirm_new_person"]
    row = with_keys(_stored(row))
    check_record(row, sites, today)
    return row


async def list_learners(
    principal: Principal,
    *,
    site: str | None = None,
    name: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[LearnerSummary], int]:
    """A page of the learners the caller reaches, by last name, and their total.

    ``name`` matches every folded word it holds anywhere in either name ("dial" finds
    Diallo, "eloise" finds Éloïse); ``phone`` matches the number whatever its spacing or
    "+33" form.
    """
    reach = scope(principal)
    if reach is None:
        return [], 0
    filters: list[Any] = list(reach)
    if site:
        filters.append(Learner.site == site)
    if name:
        # fold() leaves letters, digits and spaces: no LIKE wildcard survives it.
        filters.extend(Learner.name_key.like(f"%{word}%") for word in fold(name).split())
    if phone:
        key = phone_key(phone)
        if not key:
            raise InvalidField("search by a phone number of at least 6 digits", field="phone")
        filters.append(Learner.phone_key == key)
    if birth_date is not None:
        filters.append(Learner.birth_date == birth_date)
    rows = (
        await Learner.select(*_SUMMARY)
        .where(*filters)
        .order_by(Learner.last_name, Learner.first_name, Learner.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Learner.count().where(*filters)
    await audit.record_reads(principal, [row["id"] for row in rows], "list")
    return [msgspec.convert(row, LearnerSummary) for row in rows], total


async def get_learner(principal: Principal, learner_id: int, clock: Clock) -> LearnerRead:
    """One learner the caller reaches, the read audited; another is not found."""
    row = await row_in_scope(principal, learner_id, *RECORD_COLUMNS)
    await audit.record_reads(principal, [learner_id], "record")
    return to_read(row, principal, clock.now().date())


async def summaries(principal: Principal, learner_ids: Iterable[int]) -> dict[int, LearnerSummary]:
    """The summaries of the learners among ``learner_ids`` that the caller reaches, by id, the
    reads audited as a list (a page listing several people's applications, say)."""
    reach = scope(principal)
    wanted = sorted(set(learner_ids))
    if reach is None or not wanted:
        return {}
    rows = await Learner.select(*_SUMMARY).where(Learner.id.is_in(wanted), *reach)
    await audit.record_reads(principal, [row["id"] for row in rows], "list")
    return {row["id"]: msgspec.convert(row, LearnerSummary) for row in rows}


async def ids_by_import_key(site: str, keys: list[str]) -> dict[str, int]:
    """The ids of the site's records a bulk import created from rows with these keys."""
    rows = await Learner.select(Learner.id, Learner.import_key).where(
        Learner.site == site, Learner.import_key.is_in(keys)
    )
    return {row["import_key"]: int(row["id"]) for row in rows}


async def create_learner(
    principal: Principal, data: LearnerCreate, clock: Clock, sites: Sites
) -> LearnerRead:
    """Record a learner at a site the caller manages.

    Refused with PossibleDuplicate (409) when a record at any site may be the same person,
    unless ``data.confirm_new_person``. ``sites`` is the site registry (referral partners
    are checked against it); the demo passes bare slugs.
    """
    if not site_exists(data.site, sites) or not principal.can_see_site(data.site):
        raise NotFound(f"no site {data.site!r}", field="site")
    if not principal.can_manage_site(data.site):
        raise Forbidden("only the site's managers and admins record learners")
    now = clock.now()
    row = new_record(data, sites, now.date())
    async with Learner._meta.db.transaction():
        matches = await find_duplicates(
            first_name=row["first_name"],
            last_name=row["last_name"],
            birth_date=row["birth_date"],
            phone=row["phone"],
            email=row["email"],
        )
        if matches and not data.confirm_new_person:
            raise PossibleDuplicate(matches)
        inserted = await Learner.insert(Learner(**row, created_at=now)).returning(
            Learner.site, *RECORD_COLUMNS
        )
        learner_id = inserted[0]["id"]
        details = {"confirmed_despite": [m.id for m in matches]} if matches else None
        await audit.record(
            principal.account_id, "learner.created", "learner", learner_id, at=now, details=details
        )
    return to_read(inserted[0], principal, now.date())


async def update_learner(
    principal: Principal, learner_id: int, data: LearnerUpdate, clock: Clock, sites: Sites
) -> LearnerRead:
    """Change the given fields of a record the caller manages; the audit names the fields."""
    now = clock.now()
    async with Learner._meta.db.transaction():
        current = await row_to_manage(principal, learner_id, *RECORD_COLUMNS)
        given = {name: getattr(data, name) for name in EDITABLE}
        changes = _columns({k: v for k, v in given.items() if v is not msgspec.UNSET})
        changed = sorted(name for name, value in changes.items() if current[name] != value)
        row = with_keys({**current, **changes})
        check_record(row, sites, now.date())
        if changed:
            values = {name: row[name] for name in (*changed, "name_key", "phone_key")}
            await Learner.update(values).where(Learner.id == learner_id)
            await refresh_learners([learner_id])
            await audit.record(
                principal.account_id,
                "learner.updated",
                "learner",
                learner_id,
                at=now,
                details={"fields": changed},
            )
    return to_read(row, principal, now.date())


async def check_duplicates(
    principal: Principal,
    clock: Clock,
    *,
    first_name: str = "",
    last_name: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
) -> list[DuplicateMatch]:
    """The minimal matches for a person about to be recorded, at any site; audited."""
    if not (principal.role is Role.ADMIN or principal.role is Role.SITE_MANAGER):
        raise Forbidden("only site managers and admins look for duplicates")
    by_name = bool(name_key(first_name, last_name)) and birth_date is not None
    if not (by_name or phone_key(phone) or email_key(email)):
        raise InvalidField(
            "give first and last names with a birth date, a phone number or an e-mail",
            field="birth_date" if name_key(first_name, last_name) else "phone",
        )
    matches = await find_duplicates(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
    )
    await audit.record(
        principal.account_id,
        "learner.duplicate_check",
        "learner",
        None,
        at=clock.now(),
        details={"matches": [m.id for m in matches]},
    )
    return matches


async def learner_snapshot(learner_id: int) -> LearnerSnapshot | None:
    """The facts other services decide on, or None when there is no such learner.

    Unscoped and unaudited: for services acting on a record they already reached (an
    application), whose own change is what the audit trail records.
    """
    row = await Learner.select(*_SNAPSHOT).where(Learner.id == learner_id).first()
    return None if row is None else msgspec.convert(row, LearnerSnapshot)


async def learner_contact(learner_id: int) -> LearnerContact | None:
    """The learner's site, first name, e-mail and phone, or None when there is no such learner.

    Unscoped and unaudited, like ``learner_snapshot``: for a service sending a message the
    learner is due (check ``consent.purposes_in_force`` before an SMS).
    """
    row = await Learner.select(*_CONTACT).where(Learner.id == learner_id).first()
    return None if row is None else msgspec.convert(row, LearnerContact)
