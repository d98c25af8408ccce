"""Retention (RULES.md, Privacy): a record is kept while its purpose lasts (the program and
its follow-up window), then erased, its proof documents kept in the restricted store until
they expire, then deleted. ``essaim retention run`` applies it, site by site.

A learner is due when nothing is open (no application under way, no place held or waited
for) and, by their site's ``[retention]`` settings:
- having taken a place in a cohort: ``after_follow_up_months`` after the last follow-up of
  their last cohort (its last day plus the last of the site's ``follow_up_months``);
- otherwise: ``applicant_months`` after their applications' last change (or the record's
  creation, without any).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.applications.pipeline import ApplicationStatus as S
from core.auth.roles import Principal, Role
from core.learners.tables import Learner
from core.outcomes.rules import add_months
from core.privacy.erasure import ErasureInput, ErasureReason, erase
from core.privacy.tables import RestrictedDocument
from core.reporting.indicator_sets import TOOK_A_PLACE
from core.runtime import Runtime
from core.sites.schema import OutcomesSettings, RetentionSettings

OPEN_APPLICATIONS = (S.SUBMITTED, S.SCREENING, S.PLACEMENT_TEST_PENDING, S.ADMITTED, S.WAITLISTED)
HELD_PLACES = ("offered", "waitlisted")
"""Enrolment statuses that keep a record open: a place offered or waited for (a place taken
keeps it until the last follow-up of its cohort, by the rule above)."""
SYSTEM = Principal(account_id=0, email="", display_name="essaim", role=Role.ADMIN)
"""Retention runs as Essaim itself (actor 0 in the audit trail)."""


def _values(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


_CANDIDATES = f"""
    SELECT l.id, l.site, l.created_at,
        (SELECT MAX(c.ends_on) FROM enrolment e JOIN cohort c ON c.id = e.cohort
         WHERE e.learner = l.id AND e.status IN ({_values(TOOK_A_PLACE)})) AS last_cohort_end,
        (SELECT MAX(a.updated_at) FROM application a WHERE a.learner = l.id) AS last_change,
        EXISTS (SELECT 1 FROM application a WHERE a.learner = l.id
                AND a.status IN ({_values(tuple(s.value for s in OPEN_APPLICATIONS))}))
        OR EXISTS (SELECT 1 FROM enrolment e WHERE e.learner = l.id
                   AND e.status IN ({_values(HELD_PLACES)})) AS open
    FROM learner l WHERE l.erased_at IS NULL ORDER BY l.id
"""


@dataclass(frozen=True, slots=True)
class Due:
    """A learner whose record's purpose is over, since when, and by which rule."""

    learner: int
    site: str
    rule: str
    """``after_follow_up`` or ``applicant``."""
    since: date


@dataclass(slots=True)
class RetentionReport:
    """What a run erased (or would erase) and deleted."""

    due: list[Due] = field(default_factory=list)
    erased: int = 0
    documents_expired: int = 0
    dry_run: bool = False


def _as_date(value: Any) -> date:
    """A day from a raw aggregate: a date, a timestamp (its UTC day), or SQLite's text."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def _due(row: dict[str, Any], runtime: Runtime, today: date) -> Due | None:
    if row["open"]:
        return None
    site = runtime.sites.get(row["site"])
    retention = site.config.retention if site else RetentionSettings()
    outcomes = site.config.outcomes if site else OutcomesSettings()
    if row["last_cohort_end"] is not None:
        months = outcomes.follow_up_months[-1] + retention.after_follow_up_months
        since = add_months(_as_date(row["last_cohort_end"]), months)
        rule = "after_follow_up"
    else:
        last = max(_as_date(value) for value in (row["created_at"], row["last_change"]) if value)
        since = add_months(last, retention.applicant_months)
        rule = "applicant"
    return Due(row["id"], row["site"], rule, since) if since <= today else None


async def due_learners(runtime: Runtime, today: date) -> list[Due]:
    """The learners due for erasure on ``today``, by id."""
    rows = await Learner.raw(_CANDIDATES)
    return [due for row in rows if (due := _due(row, runtime, today)) is not None]


async def run_retention(
    runtime: Runtime,
    today: date,
    *,
    dry_run: bool,
    due: list[Due] | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> RetentionReport:
    """Erase every learner due (``due``, when the caller already listed them; each in its own
    transaction, proofs stored first) and delete the restricted documents expired by
    ``today``; a dry run only counts them."""
    if due is None:
        due = await due_learners(runtime, today)
    report = RetentionReport(due=due, dry_run=dry_run)
    expired = RestrictedDocument.expires_on < today
    report.documents_expired = await RestrictedDocument.count().where(expired)
    if dry_run:
        return report
    reason = ErasureInput(reason=ErasureReason.NO_LONGER_NEEDED, confirm=True)
    for due in report.due:
        await erase(runtime, SYSTEM, due.learner, reason)
        report.erased += 1
        progress(1)
    await RestrictedDocument.delete().where(expired)
    return report
