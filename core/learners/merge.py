"""Merging two records of the same person: an admin's decision, in one transaction, audited.

The kept record (``into``) takes from the other what it lacks, and its consents; the other
is then deleted. Other domains move their own rows: either by handing ``steps`` to
``merge_learners``, or by calling it inside their own transaction after moving them. A row
of theirs still pointing at the removed record makes the delete fail (foreign keys to
``Learner`` restrict): the whole merge is rolled back and answered 409, never half done.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.learners import service
from core.learners.schemas import LearnerRead
from core.learners.tables import Consent, Learner
from core.reporting.enrolment_facts import refresh_learners

MergeStep = Callable[[int, int], Awaitable[None]]
"""Moves another domain's rows from a removed learner to the kept one: ``step(source_id,
into_id)``, run inside the merge's transaction before the removed record is deleted."""

_GROUPS: tuple[tuple[str, ...], ...] = (
    ("birth_date",),
    ("email",),
    ("phone",),
    ("french_level", "french_level_method", "french_level_assessed_on"),
    ("qpv_resident", "qpv_checked_on", "qpv_map_version"),
    ("highest_qualification",),
    ("employment_status",),
    ("refugee_status",),
)
"""Fields taken from the removed record when the kept one lacks them; a group goes together,
so that a level keeps its method and a QPV answer its date and map."""

_EMPTY = (None, "", "unknown", "undisclosed")


def _taken(source: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """What the kept record takes from the removed one."""
    taken: dict[str, Any] = {}
    for group in (*_GROUPS, ("gender",)):
        if into[group[0]] in _EMPTY and source[group[0]] not in _EMPTY:
            taken.update({name: source[name] for name in group})
    # A partner key is only meaningful in its own site's file.
    same_site = source["site"] == into["site"]
    if same_site and into["referral_partner"] is None and source["referral_partner"] is not None:
        taken["referral_partner"] = source["referral_partner"]
    languages = dict.fromkeys([*into["languages"].split(), *source["languages"].split()])
    if len(languages) > len(into["languages"].split()):
        taken["languages"] = " ".join(languages)
    if source["notes"]:
        header = f"[merged from learner {source['id']} of {source['site']}]"
        taken["notes"] = "\n\n".join(filter(None, (into["notes"], header, source["notes"])))
    return taken


async def merge_learners(
    principal: Principal,
    source_id: int,
    into_id: int,
    clock: Clock,
    *,
    steps: Sequence[MergeStep] = (),
) -> LearnerRead:
    """Merge record ``source_id`` into ``into_id`` and delete it; admins only.

    Joins the caller's transaction if there is one. Returns the kept record.
    """
    if principal.role is not Role.ADMIN:
        raise Forbidden("only admins merge learner records")
    if source_id == into_id:
        raise InvalidField("a record cannot be merged into itself", field="into")
    now = clock.now()
    async with Learner._meta.db.transaction():
        columns = (Learner.site, *service.RECORD_COLUMNS)
        source = await Learner.select(*columns).where(Learner.id == source_id).first()
        if source is None:
            raise NotFound(f"no learner {source_id}")
        into = await Learner.select(*columns).where(Learner.id == into_id).first()
        if into is None:
            raise NotFound(f"no learner {into_id}", field="into")
        erased = await Learner.select(Learner.id).where(
            Learner.id.is_in([source_id, into_id]), Learner.erased_at.is_not_null()
        )
        if erased:
            raise service.ErasedLearner(erased[0]["id"])
        taken = _taken(source, into)
        for step in steps:
            await step(source_id, into_id)
        moved = await (
            Consent.update({Consent.learner: into_id})
            .where(Consent.learner == source_id)
            .returning(Consent.id)
        )
        merged = service.with_keys({**into, **taken})
        if taken:
            values = {name: merged[name] for name in (*taken, "name_key", "phone_key")}
            await Learner.update(values).where(Learner.id == into_id)
        await refresh_learners([into_id])
        try:
            await Learner.delete().where(Learner.id == source_id)
        except (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError):
            raise Conflict(
                f"learner {source_id} is still referred to by records no merge step moved; "
                "nothing was merged"
            ) from None
        await audit.record(
            principal.account_id,
            "learner.merged",
            "learner",
            into_id,
            at=now,
            details={
                "source": source_id,
                "consents": sorted(row["id"] for row in moved),
                "fields": sorted(taken),
            },
        )
    return service.to_read(merged, principal, now.date())
