"""The learner's website (S2, S4): submissions and trainers' reviews, kept as history.

A trainer of the cohort or a manager of its site records each submission and each review;
nothing is updated, the latest submission and its latest review count. Each write also goes
on core's record through ``record_result``: a submission as the ``website`` deliverable, a
review as the ``website_review`` result (an acceptance records the accepted address again,
so that the deliverable core holds is the one accepted). Completion then stays a function of
``CompletionFacts`` alone. Only the latest submission may be reviewed, and none follows an
accepted one, so that an accepted review always speaks of the address core holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import structlog

from core.plugin.services import (
    Conflict,
    InvalidField,
    NotFound,
    Principal,
    Runtime,
    audit,
    check_learner_level,
    check_trains_or_manages,
    local_today,
    program_enrolment,
    record_result,
    transaction,
)
from plugins.digistart.assessments import WEBSITE, WEBSITE_REVIEW
from plugins.digistart.curriculum import KEY
from plugins.digistart.schemas import (
    ReviewDecision,
    ReviewInput,
    ReviewRead,
    SubmissionInput,
    SubmissionRead,
    WebsiteKind,
    WebsiteRead,
    WebsiteStatus,
)
from plugins.digistart.tables import WebsiteReview, WebsiteSubmission

log = structlog.get_logger(__name__)

SCHEMES = frozenset({"http", "https"})


def checked_address(raw: str) -> str:
    """``raw`` without surrounding spaces, when it is an http or https address of a named
    host; InvalidField on ``address`` otherwise."""
    address = raw.strip()
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme.lower() not in SCHEMES or "." not in host:
        raise InvalidField(
            "the address must start with http:// or https:// and name a site, "
            "such as https://exemple.org/mon-site",
            field="address",
        )
    if any(character.isspace() for character in address):
        raise InvalidField("the address must not contain spaces", field="address")
    return address


def _day(value: date | None, today: date, field: str, earliest: date | None = None) -> date:
    """``value`` or ``today``; InvalidField on ``field`` when it is after today or before
    ``earliest``."""
    day = value or today
    if day > today:
        raise InvalidField(f"{field} is after today at the site", field=field)
    if earliest is not None and day < earliest:
        raise InvalidField(f"{field} is before the submission it reviews", field=field)
    return day


def _utc(instant: datetime) -> datetime:
    """A stored instant in UTC (SQLite can hand it back without its zone)."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _review(row: dict[str, Any]) -> ReviewRead:
    return ReviewRead(
        id=row["id"],
        submission=row["submission"],
        reviewer=row["reviewer"],
        decision=ReviewDecision(row["decision"]),
        comment=row["comment"],
        reviewed_on=row["reviewed_on"],
        recorded_at=_utc(row["recorded_at"]),
    )


def _submission(row: dict[str, Any], reviews: list[ReviewRead]) -> SubmissionRead:
    return SubmissionRead(
        id=row["id"],
        enrolment=row["enrolment"],
        address=row["address"],
        kind=WebsiteKind(row["kind"]),
        submitted_on=row["submitted_on"],
        recorded_by=row["recorded_by"],
        recorded_at=_utc(row["recorded_at"]),
        reviews=reviews,
    )


async def _history(enrolment_id: int) -> list[SubmissionRead]:
    """The enrolment's submissions with their reviews, oldest first."""
    submissions = await (
        WebsiteSubmission.select()
        .where(WebsiteSubmission.enrolment == enrolment_id)
        .order_by(WebsiteSubmission.id)
    )
    reviews = await (
        WebsiteReview.select()
        .where(WebsiteReview.enrolment == enrolment_id)
        .order_by(WebsiteReview.id)
    )
    by_submission: dict[int, list[ReviewRead]] = {row["id"]: [] for row in submissions}
    for row in reviews:
        by_submission[row["submission"]].append(_review(row))
    return [_submission(row, by_submission[row["id"]]) for row in submissions]


def _status(history: list[SubmissionRead]) -> WebsiteStatus:
    if not history:
        return WebsiteStatus.MISSING
    reviews = history[-1].reviews
    return WebsiteStatus(reviews[-1].decision) if reviews else WebsiteStatus.SUBMITTED


async def website(principal: Principal, enrolment_id: int) -> WebsiteRead:
    """The enrolment's submissions and reviews, and where its website stands."""
    check_learner_level(principal)
    context = await program_enrolment(principal, enrolment_id, KEY)
    history = await _history(context.id)
    return WebsiteRead(enrolment=context.id, status=_status(history), submissions=history)


async def submit(
    runtime: Runtime, principal: Principal, enrolment_id: int, data: SubmissionInput
) -> SubmissionRead:
    """Record a website handed in; it supersedes the previous submission, which stays."""
    context = await program_enrolment(principal, enrolment_id, KEY)
    check_trains_or_manages(principal, context)
    address = checked_address(data.address)
    submitted_on = _day(data.submitted_on, local_today(runtime, context.site), "submitted_on")
    now = runtime.clock.now()
    async with transaction():
        history = await _history(context.id)
        if _status(history) is WebsiteStatus.ACCEPTED:
            raise Conflict(
                f"the website of enrolment {context.id} is accepted: no new submission follows it"
            )
        row = WebsiteSubmission(
            enrolment=context.id,
            address=address,
            kind=data.kind.value,
            submitted_on=submitted_on,
            recorded_by=principal.account_id,
            recorded_at=now,
        )
        await row.save()
        await record_result(
            runtime, principal, context, assessment=WEBSITE, value=address, assessed_on=submitted_on
        )
        await audit(
            runtime,
            principal,
            "digistart.website_submitted",
            "enrolment",
            context.id,
            {"submission": row.id, "kind": data.kind.value},
        )
    log.info("digistart_website_submitted", enrolment=context.id, submission=row.id)
    return _submission(row.to_dict(), [])


async def review(
    runtime: Runtime,
    principal: Principal,
    enrolment_id: int,
    submission_id: int,
    data: ReviewInput,
) -> ReviewRead:
    """Record a trainer's review of the enrolment's latest submission."""
    context = await program_enrolment(principal, enrolment_id, KEY)
    check_trains_or_manages(principal, context)
    comment = data.comment.strip()
    if data.decision is ReviewDecision.CHANGES_REQUESTED and not comment:
        raise InvalidField("say which changes are asked for", field="comment")
    now = runtime.clock.now()
    async with transaction():
        history = await _history(context.id)
        reviewed = next((s for s in history if s.id == submission_id), None)
        if reviewed is None:
            raise NotFound(f"no website submission {submission_id} for enrolment {context.id}")
        if reviewed is not history[-1]:
            raise Conflict(
                f"submission {submission_id} was followed by submission {history[-1].id}: "
                "review the latest one"
            )
        reviewed_on = _day(
            data.reviewed_on,
            local_today(runtime, context.site),
            "reviewed_on",
            earliest=reviewed.submitted_on,
        )
        row = WebsiteReview(
            submission=reviewed.id,
            enrolment=context.id,
            reviewer=principal.account_id,
            decision=data.decision.value,
            comment=comment,
            reviewed_on=reviewed_on,
            recorded_at=now,
        )
        await row.save()
        if data.decision is ReviewDecision.ACCEPTED:
            await record_result(
                runtime,
                principal,
                context,
                assessment=WEBSITE,
                value=reviewed.address,
                assessed_on=reviewed_on,
            )
        await record_result(
            runtime,
            principal,
            context,
            assessment=WEBSITE_REVIEW,
            value=data.decision.value,
            assessed_on=reviewed_on,
        )
        await audit(
            runtime,
            principal,
            "digistart.website_reviewed",
            "enrolment",
            context.id,
            {"submission": reviewed.id, "review": row.id, "decision": data.decision.value},
        )
    log.info("digistart_website_reviewed", enrolment=context.id, review=row.id)
    return _review(row.to_dict())
