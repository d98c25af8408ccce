"""A learner's answers through their personal link: the survey, or a follow-up recorded as
an outcome through ``core.outcomes`` (its checks and its record, with the source
``learner_link``). The only module that writes answers.

Answering uses the link: the link is claimed (its ``answered_at`` set, only while it is open)
in the same transaction as the answer, so that two answers sent at once record one. The
audit trail names the writer as the learner through the link: actor 0 (no account),
``by: learner``, ``via: link``, and the link's id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import structlog

from core.audit import service as audit
from core.auth.hashing import digest
from core.errors import ServiceError
from core.outcomes import service as outcomes
from core.outcomes.schemas import OutcomeInput
from core.runtime import Runtime
from core.surveys.links import ESSAIM, LinkState, open_link
from core.surveys.schemas import LinkPurpose, SurveyInput
from core.surveys.tables import LearnerLink, SurveyAnswer

log = structlog.get_logger(__name__)

T = TypeVar("T")


class LinkClosed(ServiceError):
    """The link does not answer: unknown (404), expired or already answered (409 for a form
    sent to it, so that the page shows it in place)."""

    status_code = 409

    def __init__(self, state: LinkState) -> None:
        super().__init__(f"this link is {state.value}")
        self.state = state


def _by_learner(link_id: int) -> dict[str, Any]:
    return {"by": "learner", "via": "link", "link": link_id}


async def _claim(runtime: Runtime, secret: str, purpose: LinkPurpose) -> dict[str, Any]:
    """Mark the open link answered; its row. LinkClosed when it is not open."""
    now = runtime.clock.now()
    rows = await (
        LearnerLink.update({LearnerLink.answered_at: now})
        .where(
            LearnerLink.secret_hash == digest(secret),
            LearnerLink.purpose == purpose.value,
            LearnerLink.answered_at.is_null(),
            LearnerLink.expires_at > now,
        )
        .returning(
            LearnerLink.id, LearnerLink.enrolment, LearnerLink.learner, LearnerLink.checkpoint
        )
    )
    if rows:
        return rows[0]
    opened = await open_link(runtime, secret)
    state = opened.state if opened is not None else LinkState.UNKNOWN
    raise LinkClosed(LinkState.EXPIRED if state is LinkState.OPEN else state)


async def _shielded(work: Awaitable[T]) -> T:
    """Run a write to its end even when the learner's browser goes away (DESIGN.md)."""
    return await asyncio.shield(asyncio.ensure_future(work))


async def answer_survey(runtime: Runtime, secret: str, data: SurveyInput) -> None:
    """Record the learner's survey answer and close the link."""

    async def work() -> int:
        now = runtime.clock.now()
        async with LearnerLink._meta.db.transaction():
            link = await _claim(runtime, secret, LinkPurpose.SURVEY)
            await SurveyAnswer.insert(
                SurveyAnswer(
                    enrolment=link["enrolment"],
                    learner=link["learner"],
                    link=link["id"],
                    satisfaction=data.satisfaction,
                    recommends=data.recommends,
                    helped=",".join(sorted({h.value for h in data.helped})),
                    comment=data.comment.strip(),
                    answered_at=now,
                )
            )
            await audit.record(
                ESSAIM.account_id,
                "survey.answered",
                "enrolment",
                link["enrolment"],
                at=now,
                details=_by_learner(link["id"]),
            )
        return int(link["id"])

    link_id = await _shielded(work())
    log.info("survey_answered", link=link_id)


async def answer_follow_up(runtime: Runtime, secret: str, data: OutcomeInput) -> None:
    """Record the learner's outcome at the link's checkpoint and close the link.

    The outcome service checks it as it checks the team's: InvalidField names the field.
    """

    async def work() -> int:
        async with LearnerLink._meta.db.transaction():
            link = await _claim(runtime, secret, LinkPurpose.FOLLOW_UP)
            await outcomes.record(
                runtime,
                ESSAIM,
                int(link["enrolment"]),
                str(link["checkpoint"]),
                data,
                audit_details=_by_learner(int(link["id"])),
            )
        return int(link["id"])

    link_id = await _shielded(work())
    log.info("follow_up_answered", link=link_id)


async def move_answers(source_id: int, into_id: int) -> None:
    """Give the survey answers of a learner record being merged away to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``.
    """
    await SurveyAnswer.update({SurveyAnswer.learner: into_id}).where(
        SurveyAnswer.learner == source_id
    )
