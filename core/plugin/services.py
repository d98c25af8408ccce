"""Core's services for a plugin's routes, so that they behave exactly like core's own.

A plugin's route handler gets the caller as ``request.user`` (a ``Principal``) and core's
collaborators as the ``runtime`` dependency (``NamedDependency[Runtime]``), like core's.
Through this module it then finds an enrolment of its program within the caller's scope,
checks the caller's role, records assessment and placement results on core's record,
writes the audit trail and runs its writes in a transaction. Each route declares who may call
it with ``opt=access(RULE)``, one of core's rules (``COHORT_TEAM``, ``SITE_MANAGERS``, ...; see
``core.auth.access`` and docs/access.md), which core's access matrix test holds the route to.
It raises core's errors (``NotFound``,
``Forbidden``, ``Conflict``, ``InvalidField`` with the field) so that the answer is the
same problem+json as core's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.applications import service as _applications
from core.applications.reads import row_in_scope
from core.applications.schemas import PlacementOutcome, PlacementResultCreate
from core.audit import service as _audit
from core.audit.service import Detail
from core.auth.access import (
    ADMINS,
    ANY_ACCOUNT,
    COHORT_MANAGERS,
    COHORT_TEAM,
    COHORT_VIEWERS,
    EVERYONE,
    SITE_MANAGERS,
    Access,
    Audience,
    access,
    listing,
    rule,
)
from core.auth.roles import Principal, Role
from core.completion import assessments as _assessments
from core.completion.schemas import ResultInput, ResultRead
from core.enrolment.context import (
    EnrolmentContext,
    check_learner_level,
    check_manages,
    check_trains_or_manages,
    enrolment_context,
)
from core.enrolment.tables import Enrolment
from core.errors import Conflict, Forbidden, InvalidField, NotFound, ServiceError
from core.learners.tables import Learner
from core.plugin import ProgramSettings
from core.reporting.facts import refresh_applications
from core.runtime import Runtime


async def program_enrolment(
    principal: Principal, enrolment_id: int, program: str
) -> EnrolmentContext:
    """The enrolment when it is in a cohort of ``program`` and within the caller's scope;
    NotFound otherwise, whether it exists or not."""
    context = await enrolment_context(principal, enrolment_id)
    if context.program != program:
        raise NotFound(f"no enrolment {enrolment_id} in program {program!r}")
    return context


async def record_result(
    runtime: Runtime,
    principal: Principal,
    context: EnrolmentContext,
    *,
    assessment: str,
    value: str,
    comment: str = "",
    score: float | None = None,
    assessed_on: date | None = None,
) -> ResultRead:
    """Record a result on core's record, checked against the program's assessments and
    audited like one entered on core's route; the caller's role is checked here too."""
    check_trains_or_manages(principal, context)
    data = ResultInput(
        assessment=assessment,
        value=value,
        comment=comment,
        score=score,
        assessed_on=assessed_on,
    )
    return await _assessments.record_for(runtime, principal, context, data, through_program=True)


async def record_placement_result(
    runtime: Runtime,
    principal: Principal,
    application_id: int,
    program: str,
    *,
    passed: bool,
    track: str | None = None,
    score: float | None = None,
    assessed_at: datetime | None = None,
) -> PlacementOutcome:
    """Record a placement test's result on an application to ``program``, exactly as core's
    route does (scope, role, the application's status, the program's findings after it):
    for a program that scores its own test and decides ``passed`` from its pass marks.
    NotFound when the application is out of scope or another program's."""
    if (await row_in_scope(principal, application_id))["program"] != program:
        raise NotFound(f"no application {application_id} to program {program!r}")
    data = PlacementResultCreate(passed=passed, track=track, score=score, assessed_at=assessed_at)
    return await _applications.record_placement_result(runtime, principal, application_id, data)


async def audit(
    runtime: Runtime,
    principal: Principal,
    action: str,
    target_type: str,
    target_id: int | None,
    details: Mapping[str, Detail] | None = None,
) -> None:
    """Append to core's audit trail: ``action`` is ``<domain>.<verb>``, details are ids and
    code words only (ValueError on anything that could be personal data)."""
    await _audit.record(
        principal.account_id,
        action,
        target_type,
        target_id,
        at=runtime.clock.now(),
        details=details,
    )


def transaction() -> Any:
    """A transaction on the database every table uses: ``async with transaction(): ...``."""
    return Enrolment._meta.db.transaction()


def local_today(runtime: Runtime, site: str) -> date:
    """Today at ``site``, in its time zone."""
    now = runtime.clock.now()
    found = runtime.sites.get(site)
    return now.astimezone(ZoneInfo(found.config.timezone)).date() if found else now.date()


def program_settings(runtime: Runtime, site: str, program: str) -> ProgramSettings | None:
    """The site's validated settings for ``program`` (the program's own settings type);
    None when the site is not configured or does not run the program."""
    found = runtime.sites.get(site)
    return found.programs.get(program) if found else None


async def learner_names(
    principal: Principal, learner_ids: list[int], via: str
) -> dict[int, tuple[str, str]]:
    """``(first name, last name)`` of each learner, for a document or a list ``principal``,
    checked for their enrolments, may see (an exam's candidate list, say); each read is
    audited (``learner.read`` with ``via``, a code word such as ``exam_candidates``)."""
    if not learner_ids:
        return {}
    await _audit.record_reads(principal, learner_ids, via)
    rows = await Learner.select(Learner.id, Learner.first_name, Learner.last_name).where(
        Learner.id.is_in(sorted(set(learner_ids)))
    )
    return {row["id"]: (row["first_name"], row["last_name"]) for row in rows}


async def certification_changed(enrolment_ids: list[int]) -> None:
    """Tell the reports that certificates of these enrolments were recorded or removed (the
    funnel's ``certified``, read from ``ProgramIndicators.certified``); call it inside the
    transaction that wrote them."""
    if not enrolment_ids:
        return
    rows = await Enrolment.select(Enrolment.application).where(
        Enrolment.id.is_in(sorted(set(enrolment_ids)))
    )
    await refresh_applications([row["application"] for row in rows if row["application"]])


__all__ = [
    "ADMINS",
    "ANY_ACCOUNT",
    "COHORT_MANAGERS",
    "COHORT_TEAM",
    "COHORT_VIEWERS",
    "EVERYONE",
    "SITE_MANAGERS",
    "Access",
    "Audience",
    "Conflict",
    "EnrolmentContext",
    "Forbidden",
    "InvalidField",
    "NotFound",
    "PlacementOutcome",
    "Principal",
    "ResultRead",
    "Role",
    "Runtime",
    "ServiceError",
    "access",
    "audit",
    "certification_changed",
    "check_learner_level",
    "check_manages",
    "check_trains_or_manages",
    "learner_names",
    "listing",
    "local_today",
    "program_enrolment",
    "program_settings",
    "record_placement_result",
    "record_result",
    "rule",
    "transaction",
]
