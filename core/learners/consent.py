"""Consents: what a learner agreed to, when, recorded by whom; withdrawn, never erased."""

from __future__ import annotations

from typing import Any

import msgspec

from core.audit import service as audit
from core.auth.roles import Principal
from core.clock import Clock
from core.errors import Conflict, InvalidField, NotFound
from core.learners.schemas import ConsentCreate, ConsentPurpose, ConsentRead
from core.learners.service import row_in_scope, row_to_manage
from core.learners.tables import Consent

_COLUMNS = (
    Consent.id,
    Consent.learner.as_alias("learner_id"),
    Consent.purpose,
    Consent.given_at,
    Consent.recorded_by,
    Consent.withdrawn_at,
    Consent.withdrawn_by,
)


def _read(row: dict[str, Any]) -> ConsentRead:
    return msgspec.convert(row, ConsentRead)


async def list_consents(principal: Principal, learner_id: int, clock: Clock) -> list[ConsentRead]:
    """Every consent of a learner the caller reaches, oldest first; the read is audited."""
    await row_in_scope(principal, learner_id)
    rows = (
        await Consent.select(*_COLUMNS)
        .where(Consent.learner == learner_id)
        .order_by(Consent.given_at, Consent.id)
    )
    await audit.record(
        principal.account_id, "consent.listed", "learner", learner_id, at=clock.now()
    )
    return [_read(row) for row in rows]


async def record_consent(
    principal: Principal, learner_id: int, data: ConsentCreate, clock: Clock
) -> ConsentRead:
    """Record a consent given by the learner; 409 while the same one is in force."""
    now = clock.now()
    given_at = data.given_at or now
    if given_at > now:
        raise InvalidField("a consent cannot be given in the future", field="given_at")
    async with Consent._meta.db.transaction():
        await row_to_manage(principal, learner_id)
        in_force = await Consent.exists().where(
            (Consent.learner == learner_id)
            & (Consent.purpose == data.purpose.value)
            & Consent.withdrawn_at.is_null()
        )
        if in_force:
            raise Conflict(
                f"the learner's consent to {data.purpose.value} is already recorded",
                field="purpose",
            )
        rows = await Consent.insert(
            Consent(
                learner=learner_id,
                purpose=data.purpose.value,
                given_at=given_at,
                recorded_by=principal.account_id,
            )
        ).returning(*_COLUMNS)
        consent = _read(rows[0])
        await audit.record(
            principal.account_id,
            "consent.recorded",
            "learner",
            learner_id,
            at=now,
            details={"consent": consent.id, "purpose": consent.purpose.value},
        )
    return consent


async def withdraw_consent(
    principal: Principal, learner_id: int, consent_id: int, clock: Clock
) -> ConsentRead:
    """Record that the learner withdrew a consent; the row stays as proof of the past."""
    now = clock.now()
    async with Consent._meta.db.transaction():
        await row_to_manage(principal, learner_id)
        row = (
            await Consent.select(Consent.withdrawn_at)
            .where((Consent.id == consent_id) & (Consent.learner == learner_id))
            .first()
        )
        if row is None:
            raise NotFound(f"learner {learner_id} has no consent {consent_id}")
        if row["withdrawn_at"] is not None:
            raise Conflict(f"consent {consent_id} is already withdrawn")
        withdrawal = {Consent.withdrawn_at: now, Consent.withdrawn_by: principal.account_id}
        rows = await Consent.update(withdrawal).where(Consent.id == consent_id).returning(*_COLUMNS)
        consent = _read(rows[0])
        await audit.record(
            principal.account_id,
            "consent.withdrawn",
            "learner",
            learner_id,
            at=now,
            details={"consent": consent_id, "purpose": consent.purpose.value},
        )
    return consent


async def purposes_in_force(learner_id: int) -> set[ConsentPurpose]:
    """What the learner currently agrees to: for services that act on it (a notifier sends
    an SMS only with ``contact_sms``). Unscoped and unaudited."""
    rows = await Consent.select(Consent.purpose).where(
        (Consent.learner == learner_id) & Consent.withdrawn_at.is_null()
    )
    return {ConsentPurpose(row["purpose"]) for row in rows}
