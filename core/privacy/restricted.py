"""The restricted store: proof documents kept after an erasure, for admins only, until they
expire.

The law asks a training body to keep the signed attendance (RULES.md C4) and what the learner
received at the end (C5) for years after the training. Before an erasure empties the live
record, the learner's completion attestations and certificates of hours attended are rendered
as they stand and stored here with their expiry (``Settings.proof_retention_years`` after
the erasure); the live record then holds none of it.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.attendance.service import hours_certificate_pdf
from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.completion.attestations import attestation_pdf
from core.completion.tables import Completion
from core.enrolment.tables import Enrolment
from core.errors import Forbidden, NotFound
from core.privacy.tables import RestrictedDocument
from core.runtime import Runtime

ATTESTATION = "attestation"
HOURS_CERTIFICATE = "hours_certificate"


class RestrictedDocumentRead(msgspec.Struct, frozen=True, kw_only=True):
    """A stored proof document, without its content."""

    id: int
    kind: str
    learner: int
    enrolment: int
    file_name: str
    stored_at: datetime
    expires_on: date


class RestrictedDocumentList(msgspec.Struct, frozen=True, kw_only=True):
    """The stored proof documents asked for, oldest first."""

    items: list[RestrictedDocumentRead]


def expiry(stored: date, years: int) -> date:
    """``years`` after ``stored`` (28 February for a 29 February that has none)."""
    try:
        return stored.replace(year=stored.year + years)
    except ValueError:
        return date(stored.year + years, 2, 28)


async def _proofs(
    runtime: Runtime, principal: Principal, learner_id: int
) -> list[tuple[str, int, bytes]]:
    """``(kind, enrolment, pdf)`` for each attestation issued and each enrolment attended."""
    enrolments = await Enrolment.select(Enrolment.id, Enrolment.cohort, Enrolment.status).where(
        Enrolment.learner == learner_id
    )
    attested = {
        row["enrolment"]
        for row in await Completion.select(Completion.enrolment).where(
            Completion.learner == learner_id,
            Completion.completed.eq(True),
            Completion.attestation_number.is_not_null(),
        )
    }
    found = []
    for enrolment in sorted(enrolments, key=lambda row: row["id"]):
        if enrolment["id"] in attested:
            pdf = await attestation_pdf(runtime, principal, enrolment["id"])
            found.append((ATTESTATION, enrolment["id"], pdf))
        if enrolment["status"] == "enrolled":
            pdf = await hours_certificate_pdf(runtime, principal, enrolment["cohort"], learner_id)
            found.append((HOURS_CERTIFICATE, enrolment["id"], pdf))
    return found


async def store_proofs(
    runtime: Runtime, principal: Principal, learner_id: int, now: datetime
) -> int:
    """Render and store the learner's proof documents; how many. Inside the erasure's
    transaction, before anything is emptied."""
    expires_on = expiry(now.date(), runtime.settings.proof_retention_years)
    proofs = await _proofs(runtime, principal, learner_id)
    for kind, enrolment, pdf in proofs:
        await RestrictedDocument.insert(
            RestrictedDocument(
                kind=kind,
                learner=learner_id,
                enrolment=enrolment,
                file_name=f"{kind}-{enrolment}.pdf",
                content=pdf,
                stored_at=now,
                expires_on=expires_on,
            )
        )
    return len(proofs)


def _admin(principal: Principal) -> None:
    if principal.role is not Role.ADMIN:
        raise Forbidden("only admins read the restricted store")


_COLUMNS = tuple(
    getattr(RestrictedDocument, name) for name in RestrictedDocumentRead.__struct_fields__
)


async def list_documents(principal: Principal, learner_id: int | None) -> RestrictedDocumentList:
    """The stored documents (of one learner when given), without their content; admins only."""
    _admin(principal)
    query = RestrictedDocument.select(*_COLUMNS).order_by(RestrictedDocument.id)
    if learner_id is not None:
        query = query.where(RestrictedDocument.learner == learner_id)
    return RestrictedDocumentList(
        items=[msgspec.convert(row, RestrictedDocumentRead) for row in await query]
    )


async def read_document(
    principal: Principal, document_id: int, now: datetime
) -> tuple[RestrictedDocumentRead, bytes]:
    """One stored document and its PDF, the read audited; admins only."""
    _admin(principal)
    row = (
        await RestrictedDocument.select(*_COLUMNS, RestrictedDocument.content)
        .where(RestrictedDocument.id == document_id)
        .first()
    )
    if row is None:
        raise NotFound(f"no restricted document {document_id}")
    await audit.record(
        principal.account_id,
        "restricted_document.read",
        "restricted_document",
        document_id,
        at=now,
        details={"learner": row["learner"]},
    )
    return msgspec.convert(row, RestrictedDocumentRead), bytes(row["content"])
