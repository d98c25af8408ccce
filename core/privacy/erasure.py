"""Erasing a learner (RGPD article 17): every personal value gone, the counts unchanged.

In one transaction: the proof documents the law requires are rendered into the restricted
store (``restricted``), the coarse attributes the reports need are kept (an age band, under-26 at
each cohort's start), every declared personal column of every row that leads to the learner,
core's and plugins', is emptied (``scrubbing``), the record is marked erased, and the erasure
is logged (``Erasure``: ids only) and audited. Admins only, with a reason and an explicit
confirmation: nothing undoes it.
"""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec
import structlog

from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.learners.tables import Learner
from core.plugins import PluginHost
from core.privacy.declarations import PERSONAL
from core.privacy.links import all_tables, linked_tables
from core.privacy.restricted import store_proofs
from core.privacy.rows import learner_row_ids
from core.privacy.scrubbing import empty_personal_columns, keep_coarse_attributes
from core.privacy.tables import Erasure
from core.reporting.enrolment_facts import refresh_learners
from core.runtime import Runtime

log = structlog.get_logger(__name__)


class ErasureReason(enum.StrEnum):
    """Why a learner is erased: the ground of RGPD article 17 it answers."""

    REQUEST = "request"
    """The person asked for it."""
    CONSENT_WITHDRAWN = "consent_withdrawn"
    """The person withdrew the consent the processing rested on."""
    NO_LONGER_NEEDED = "no_longer_needed"
    """The purpose is over and no retention duty remains."""
    UNLAWFUL = "unlawful"
    """The data should never have been recorded."""


class ErasureInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What an admin sends to erase a learner."""

    reason: ErasureReason
    confirm: bool = False
    """Must be true: an erasure cannot be undone."""


class ErasureRead(msgspec.Struct, frozen=True, kw_only=True):
    """An erasure, as the log keeps it."""

    learner: int
    erased_by: int
    erased_at: datetime
    reason: str


async def erase_rows(host: PluginHost, learner_id: int, now: datetime) -> list[str]:
    """Empty every personal value of the learner and mark the record erased; the tables
    touched. Idempotent, unscoped and unlogged: ``erase`` and a restore's replay call it
    inside their transaction."""
    await keep_coarse_attributes(learner_id, now)
    tables = linked_tables(all_tables(host))
    ids = await learner_row_ids(tables, learner_id)
    declared = [*PERSONAL, *(column for _, column in host.personal_data())]
    touched = await empty_personal_columns(tables, declared, ids)
    await Learner.update({Learner.erased_at: now}).where(
        Learner.id == learner_id, Learner.erased_at.is_null()
    )
    await refresh_learners([learner_id])
    return touched


async def erase(
    runtime: Runtime, principal: Principal, learner_id: int, data: ErasureInput
) -> ErasureRead:
    """Erase a learner, for an admin who confirms; 409 when already erased. Their proof
    documents move to the restricted store first."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("only admins erase a learner's data")
    now = runtime.clock.now()
    if not data.confirm:
        raise InvalidField(
            "an erasure cannot be undone: send confirm: true to erase", field="confirm"
        )
    async with Learner._meta.db.transaction():
        row = await Learner.select(Learner.erased_at).where(Learner.id == learner_id).first()
        if row is None:
            raise NotFound(f"no learner {learner_id}")
        if row["erased_at"] is not None:
            raise Conflict(f"learner {learner_id} is already erased")
        stored = await store_proofs(runtime, principal, learner_id, now)
        touched = await erase_rows(runtime.host, learner_id, now)
        entry = ErasureRead(
            learner=learner_id, erased_by=principal.account_id, erased_at=now, reason=data.reason
        )
        await Erasure.insert(Erasure(**msgspec.structs.asdict(entry)))
        await audit.record(
            principal.account_id,
            "learner.erased",
            "learner",
            learner_id,
            at=now,
            details={"reason": data.reason.value, "tables": touched, "documents": stored},
        )
    log.info("learner_erased", learner=learner_id, tables=len(touched))
    return entry
