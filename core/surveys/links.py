"""Personal links: addresses that let a learner answer the survey or a follow-up without
signing in. The only module that makes and opens them.

A link's secret is 256 random bits; only its SHA-256 is stored, as for API tokens and
calendar feeds. The secret travels in the e-mail that carries the link (a message kept in
the learner's record like every other, so the site team sees what was sent). A link answers
once, until it expires; sending a new one for the same purpose ends the previous one.

Who sends: Essaim itself when a training ends and when a follow-up falls due
(``core.surveys.due``), and the site's managers and admins on request (the API). The
learner's own answers are in ``core.surveys.answers``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
import structlog

from core.auth.hashing import digest, new_secret
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead, CohortStatus
from core.db.instants import as_utc
from core.enrolment import service as enrolments
from core.enrolment.schemas import EnrolmentRead
from core.enrolment.service import EnrolmentStatus
from core.errors import Conflict, Forbidden, InvalidField
from core.notifications import service as notifications
from core.notifications.templates import FollowUpLink, SurveyLink, Template
from core.outcomes import service as outcomes
from core.outcomes.rules import due_on
from core.runtime import Runtime
from core.settings import LOCAL_URL
from core.surveys.schemas import LinkPurpose, LinkRead
from core.surveys.tables import LearnerLink, SurveyAnswer

log = structlog.get_logger(__name__)

PATH = "/suivi"
"""Where links are opened: ``/suivi/<secret>``."""
LINK_DAYS = 30
"""How long a link answers after it is sent."""
ESSAIM = Principal(account_id=0, email="", display_name="essaim", role=Role.ADMIN)
"""Essaim itself, sending the links that fall due (the audit trail's actor 0)."""


class LinkState(enum.StrEnum):
    """Where a link stands when it is opened."""

    OPEN = "open"
    UNKNOWN = "unknown"
    """No such secret (mistyped, or the learner was erased): 404."""
    EXPIRED = "expired"
    """Past its day, or replaced by a newer link: 410."""
    ANSWERED = "answered"
    """Already answered: 410."""


class OpenedLink(msgspec.Struct, frozen=True, kw_only=True):
    """A link as its page needs it: what it asks, for which training. No personal data."""

    id: int
    state: LinkState
    purpose: LinkPurpose
    checkpoint: int
    enrolment: int
    program: str
    site_name: str


def link_path(secret: str) -> str:
    """The address path of a link."""
    return f"{PATH}/{secret}"


async def _cohort_of(principal: Principal, enrolment_id: int) -> tuple[EnrolmentRead, CohortRead]:
    """The enrolment and its cohort, when the caller manages its site; else the error."""
    enrolment = await enrolments.get_enrolment(principal, enrolment_id)
    cohort = await cohorts.get_cohort(principal, enrolment.cohort)
    if not principal.can_manage_site(cohort.site):
        raise Forbidden("links to learners are sent by the site's managers and admins")
    return enrolment, cohort


def _check_due(
    runtime: Runtime, enrolment: EnrolmentRead, cohort: CohortRead, purpose: LinkPurpose, at: int
) -> None:
    """Conflict or InvalidField when the link asks what cannot be answered yet or at all."""
    today = outcomes.site_today(runtime, cohort.site)
    if cohort.status == CohortStatus.CANCELLED:
        raise Conflict(f"cohort {cohort.id} was cancelled: nobody left it to ask")
    if purpose is LinkPurpose.SURVEY:
        if at != 0:
            raise InvalidField("the survey has no checkpoint: leave it at 0", field="checkpoint")
        left = enrolment.status == EnrolmentStatus.WITHDRAWN
        if not left and (enrolment.status != EnrolmentStatus.ENROLLED or today < cohort.ends_on):
            raise Conflict(
                f"enrolment {enrolment.id}: the survey is sent once the training ends "
                f"({cohort.ends_on.isoformat()}) or the learner withdraws"
            )
        return
    followed = outcomes.site_checkpoints(runtime, cohort.site)[1:]
    if at not in followed:
        months = ", ".join(str(m) for m in followed)
        raise InvalidField(
            f"sites/{cohort.site}.toml follows up at {months} months after exit, not at {at}",
            field="checkpoint",
        )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(
            f"enrolment {enrolment.id} is {enrolment.status}: follow-ups are for the people "
            "who went through the cohort (enrolled)"
        )
    due = due_on(cohort.ends_on, at)
    if today < due:
        raise Conflict(f"the {at}-month follow-up of enrolment {enrolment.id} is due on {due}")


async def _answered(enrolment_id: int, purpose: LinkPurpose, checkpoint: int) -> bool:
    if purpose is LinkPurpose.SURVEY:
        return await SurveyAnswer.exists().where(SurveyAnswer.enrolment == enrolment_id)
    return await LearnerLink.exists().where(
        LearnerLink.enrolment == enrolment_id,
        LearnerLink.purpose == purpose.value,
        LearnerLink.checkpoint == checkpoint,
        LearnerLink.answered_at.is_not_null(),
    )


async def send_link(
    runtime: Runtime,
    principal: Principal,
    enrolment_id: int,
    purpose: LinkPurpose,
    checkpoint: int = 0,
) -> LinkRead:
    """Send the learner a new link for ``purpose`` (ending the previous one not answered),
    for the site's managers and admins, and for Essaim itself (``ESSAIM``).

    409 before the training ends or the follow-up is due, and once the learner answered;
    422 for a checkpoint the site does not follow up at.
    """
    enrolment, cohort = await _cohort_of(principal, enrolment_id)
    _check_due(runtime, enrolment, cohort, purpose, checkpoint)
    if await _answered(enrolment_id, purpose, checkpoint):
        raise Conflict(f"enrolment {enrolment_id}: the learner already answered this link")
    now = runtime.clock.now()
    secret = new_secret()
    expires_at = now + timedelta(days=LINK_DAYS)
    async with LearnerLink._meta.db.transaction():
        await LearnerLink.update({LearnerLink.expires_at: now}).where(
            LearnerLink.enrolment == enrolment_id,
            LearnerLink.purpose == purpose.value,
            LearnerLink.checkpoint == checkpoint,
            LearnerLink.answered_at.is_null(),
            LearnerLink.expires_at > now,
        )
        link_id = await create_link(
            enrolment, purpose, checkpoint, secret, now=now, expires_at=expires_at, by=principal
        )
        message = await _notify(runtime, enrolment, cohort, purpose, checkpoint, secret, expires_at)
    log.info("learner_link_sent", link=link_id, enrolment=enrolment_id, purpose=purpose.value)
    return LinkRead(
        id=link_id,
        enrolment=enrolment_id,
        purpose=purpose,
        checkpoint=checkpoint,
        created_at=now,
        expires_at=expires_at,
        message=message,
    )


async def create_link(
    enrolment: EnrolmentRead,
    purpose: LinkPurpose,
    checkpoint: int,
    secret: str,
    *,
    now: datetime,
    expires_at: datetime,
    by: Principal,
) -> int:
    """Store a link for ``secret`` (its hash only); its id. Unchecked: ``send_link`` checks."""
    rows = await LearnerLink.insert(
        LearnerLink(
            enrolment=enrolment.id,
            learner=enrolment.learner,
            purpose=purpose.value,
            checkpoint=checkpoint,
            secret_hash=digest(secret),
            created_at=now,
            created_by=by.account_id,
            expires_at=expires_at,
        )
    ).returning(LearnerLink.id)
    return int(rows[0]["id"])


def _names(runtime: Runtime, cohort: CohortRead) -> tuple[str, str]:
    """The program's title and the site's name, as the learner knows them."""
    program = runtime.host.program(cohort.program)
    site = runtime.sites.get(cohort.site)
    return (
        program.title if program else cohort.program,
        site.config.name if site else cohort.site,
    )


async def _notify(
    runtime: Runtime,
    enrolment: EnrolmentRead,
    cohort: CohortRead,
    purpose: LinkPurpose,
    checkpoint: int,
    secret: str,
    expires_at: datetime,
) -> int:
    """Queue the e-mail that carries the link, in the caller's transaction; its id."""
    program, site_name = _names(runtime, cohort)
    url = (runtime.settings.public_url or LOCAL_URL).rstrip("/") + link_path(secret)
    expires_on: date = expires_at.date()
    context: msgspec.Struct
    if purpose is LinkPurpose.SURVEY:
        template = Template.SURVEY_LINK
        context = SurveyLink(program=program, site_name=site_name, url=url, expires_on=expires_on)
    else:
        template = Template.FOLLOW_UP_LINK
        context = FollowUpLink(
            program=program,
            site_name=site_name,
            url=url,
            expires_on=expires_on,
            months=checkpoint,
        )
    return await notifications.notify(
        enrolment.learner, template, context, clock=runtime.clock, site=cohort.site, link=url
    )


async def open_link(runtime: Runtime, secret: str) -> OpenedLink | None:
    """The link with this secret and where it stands; None when there is none."""
    row: dict[str, Any] | None = (
        await LearnerLink.select(
            LearnerLink.id,
            LearnerLink.enrolment,
            LearnerLink.purpose,
            LearnerLink.checkpoint,
            LearnerLink.expires_at,
            LearnerLink.answered_at,
            LearnerLink.enrolment.cohort.program.as_alias("program"),
            LearnerLink.enrolment.cohort.site.as_alias("site"),
        )
        .where(LearnerLink.secret_hash == digest(secret))
        .first()
    )
    if row is None:
        return None
    if row["answered_at"] is not None:
        state = LinkState.ANSWERED
    elif as_utc(row["expires_at"]) <= runtime.clock.now():
        state = LinkState.EXPIRED
    else:
        state = LinkState.OPEN
    program = runtime.host.program(row["program"])
    site = runtime.sites.get(row["site"])
    return OpenedLink(
        id=row["id"],
        state=state,
        purpose=LinkPurpose(row["purpose"]),
        checkpoint=row["checkpoint"],
        enrolment=row["enrolment"],
        program=program.title if program else row["program"],
        site_name=site.config.name if site else row["site"],
    )


async def move_links(source_id: int, into_id: int) -> None:
    """Give the links of a learner record being merged away to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``, like the enrolments they follow.
    """
    await LearnerLink.update({LearnerLink.learner: into_id}).where(LearnerLink.learner == source_id)
