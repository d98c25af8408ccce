"""Reading applications: lists, one application, its history, each with its latest findings.

Scope: admins reach every application and site managers those of their sites; the central
team is refused learner-level records, and trainers reach none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Max

from core.applications.pipeline import (
    ApplicationStatus,
    api_targets,
)
from core.applications.schemas import (
    ApplicationHistory,
    ApplicationRead,
    DecisionRead,
    EventRead,
    FactsSnapshot,
    PlacementResultRead,
)
from core.applications.tables import (
    Application,
    ApplicationEvent,
    EligibilityCheck,
    EligibilityFinding,
    PlacementResult,
)
from core.auth.roles import Principal, Role
from core.db.instants import as_utc
from core.errors import Forbidden, NotFound
from core.plugin import Finding

_COLUMNS = (
    Application.id,
    Application.learner,
    Application.site,
    Application.program,
    Application.track,
    Application.cohort,
    Application.status,
    Application.eligible,
    Application.created_at,
    Application.updated_at,
)


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting applications to the caller's reach; None when it reaches none."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not applications")
    if principal.role is Role.ADMIN:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Application.site.is_in(sorted(principal.sites))]
    return None


async def row_in_scope(principal: Principal, application_id: int) -> dict[str, Any]:
    scope = _scope(principal)
    row = None
    if scope is not None:
        row = (
            await Application.select(*_COLUMNS)
            .where(Application.id == application_id, *scope)
            .first()
        )
    if row is None:
        raise NotFound(f"no application {application_id}")
    return row


async def managed_row(principal: Principal, application_id: int) -> dict[str, Any]:
    """The application, when the caller manages its site; 404 out of scope, else 403."""
    row = await row_in_scope(principal, application_id)
    if not principal.can_manage_site(row["site"]):
        raise Forbidden("only the site's managers and admins act on its applications")
    return row


async def _latest_findings(ids: Sequence[int]) -> dict[int, list[Finding]]:
    """The findings of each application's latest check, in two queries for a whole page."""
    if not ids:
        return {}
    latest = (
        await EligibilityCheck.select(
            EligibilityCheck.application, Max(EligibilityCheck.id, alias="latest_check")
        )
        .where(EligibilityCheck.application.is_in(list(ids)))
        .group_by(EligibilityCheck.application)
    )
    by_check = {int(row["latest_check"]): int(row["application"]) for row in latest}
    found: dict[int, list[Finding]] = {application: [] for application in ids}
    for check, findings in (await _findings_of(by_check)).items():
        found[by_check[check]] = findings
    return found


async def _findings_of(check_ids: Iterable[int]) -> dict[int, list[Finding]]:
    wanted = sorted(set(check_ids))
    if not wanted:
        return {}
    rows = (
        await EligibilityFinding.select(
            EligibilityFinding.eligibility_check,
            EligibilityFinding.rule,
            EligibilityFinding.ok,
            EligibilityFinding.reason,
            EligibilityFinding.referral,
        )
        .where(EligibilityFinding.eligibility_check.is_in(wanted))
        .order_by(EligibilityFinding.eligibility_check, EligibilityFinding.ordinal)
    )
    found: dict[int, list[Finding]] = {check: [] for check in wanted}
    for row in rows:
        found[int(row["eligibility_check"])].append(
            Finding(
                rule=row["rule"], ok=bool(row["ok"]), reason=row["reason"], referral=row["referral"]
            )
        )
    return found


async def _reads(rows: Sequence[dict[str, Any]]) -> list[ApplicationRead]:
    findings = await _latest_findings([int(row["id"]) for row in rows])
    return [
        ApplicationRead(
            id=row["id"],
            learner=row["learner"],
            site=row["site"],
            program=row["program"],
            track=row["track"],
            cohort=row["cohort"],
            status=ApplicationStatus(row["status"]),
            eligible=None if row["eligible"] is None else bool(row["eligible"]),
            findings=findings[int(row["id"])],
            next_statuses=api_targets(ApplicationStatus(row["status"])),
            created_at=as_utc(row["created_at"]),
            updated_at=as_utc(row["updated_at"]),
        )
        for row in rows
    ]


# Reads --------------------------------------------------------------------------------------


async def list_applications(
    principal: Principal,
    *,
    site: str | None = None,
    program: str | None = None,
    status: ApplicationStatus | None = None,
    learner: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ApplicationRead], int]:
    """A page of the applications the caller reaches, newest first, and their total."""
    scope = _scope(principal)
    if scope is None:
        return [], 0
    filters: list[Any] = list(scope)
    if site:
        filters.append(Application.site == site)
    if program:
        filters.append(Application.program == program)
    if status:
        filters.append(Application.status == status.value)
    if learner:
        filters.append(Application.learner == learner)
    rows = (
        await Application.select(*_COLUMNS)
        .where(*filters)
        .order_by(Application.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await Application.count().where(*filters)
    return await _reads(rows), total


async def get_application(principal: Principal, application_id: int) -> ApplicationRead:
    """One application the caller reaches; another is not found, whether it exists or not."""
    [read] = await _reads([await row_in_scope(principal, application_id)])
    return read


async def history(principal: Principal, application_id: int) -> ApplicationHistory:
    """Every status change and every eligibility check of an application, oldest first."""
    await row_in_scope(principal, application_id)
    events = (
        await ApplicationEvent.select(
            ApplicationEvent.id,
            ApplicationEvent.from_status,
            ApplicationEvent.to_status,
            ApplicationEvent.actor,
            ApplicationEvent.at,
            ApplicationEvent.reason,
            ApplicationEvent.decision,
        )
        .where(ApplicationEvent.application == application_id)
        .order_by(ApplicationEvent.id)
    )
    checks = (
        await EligibilityCheck.select(
            EligibilityCheck.id,
            EligibilityCheck.stage,
            EligibilityCheck.eligible,
            EligibilityCheck.facts,
            EligibilityCheck.actor,
            EligibilityCheck.checked_at,
        )
        .where(EligibilityCheck.application == application_id)
        .order_by(EligibilityCheck.id)
    )
    findings = await _findings_of(int(row["id"]) for row in checks)
    return ApplicationHistory(
        application=application_id,
        events=[
            EventRead(
                id=row["id"],
                from_status=ApplicationStatus(row["from_status"]) if row["from_status"] else None,
                to_status=ApplicationStatus(row["to_status"]),
                actor=row["actor"],
                at=as_utc(row["at"]),
                reason=row["reason"],
                decision=row["decision"],
            )
            for row in events
        ],
        decisions=[
            DecisionRead(
                id=row["id"],
                stage=row["stage"],
                eligible=bool(row["eligible"]),
                findings=findings[int(row["id"])],
                facts=msgspec.json.decode(row["facts"], type=FactsSnapshot),
                actor=row["actor"],
                checked_at=as_utc(row["checked_at"]),
            )
            for row in checks
        ],
    )


PLACEMENT_RESULT_COLUMNS = (
    PlacementResult.id,
    PlacementResult.application,
    PlacementResult.learner,
    PlacementResult.program,
    PlacementResult.track,
    PlacementResult.score,
    PlacementResult.passed,
    PlacementResult.assessed_at,
    PlacementResult.assessor,
    PlacementResult.recorded_at,
)
"""A placement test result as the API reads it."""


async def placement_results(principal: Principal, application_id: int) -> list[PlacementResultRead]:
    """The placement test results recorded for an application, oldest first."""
    await row_in_scope(principal, application_id)
    rows = (
        await PlacementResult.select(*PLACEMENT_RESULT_COLUMNS)
        .where(PlacementResult.application == application_id)
        .order_by(PlacementResult.id)
    )
    return [
        PlacementResultRead(
            **row
            | {
                "passed": bool(row["passed"]),
                "assessed_at": as_utc(row["assessed_at"]),
                "recorded_at": as_utc(row["recorded_at"]),
            }
        )
        for row in rows
    ]
