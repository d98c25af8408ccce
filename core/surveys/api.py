"""The personal links API: a site manager sends an enrolment's learner their survey or
follow-up link (again)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.auth.access import COHORT_MANAGERS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.runtime import Runtime
from core.surveys import links
from core.surveys.schemas import LinkRead, LinkRequest


class LearnerLinkController(Controller):
    """Personal links, sent by e-mail through the jobs table; their secret is never shown."""

    path = "/api/v1"
    tags = ["surveys"]

    @post(
        "/enrolments/{enrolment_id:int}/links",
        operation_id="sendLearnerLink",
        opt=access(COHORT_MANAGERS),
    )
    async def send(
        self,
        enrolment_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        data: JSONBody[LinkRequest],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LinkRead:
        """Send the learner a new personal link, for the survey once the training ended or
        for a follow-up once due; a link sent before and not answered stops working."""
        return await links.send_link(
            runtime, request.user, enrolment_id, data.purpose, data.checkpoint
        )
