"""DIGISTART's routes, served under ``/api/v1/programs/digistart``: thin handlers over
``websites`` and the shipped exercises."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.plugin import ID_MAX
from core.plugin.services import ANY_ACCOUNT, COHORT_TEAM, Principal, Runtime, access
from plugins.digistart import websites
from plugins.digistart.exercises import WEEKS
from plugins.digistart.schemas import (
    ReviewInput,
    ReviewRead,
    SubmissionInput,
    SubmissionRead,
    WebsiteRead,
    WeeksRead,
)

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


@get(
    "/programs/digistart/weeks",
    operation_id="digistartWeeks",
    opt=access(ANY_ACCOUNT),
    tags=["digistart"],
)
async def weeks() -> WeeksRead:
    """The nine weeks with their exercises, in teaching order (S1, S2)."""
    return WeeksRead(items=WEEKS)


class WebsiteController(Controller):
    """A learner's website: submissions and reviews, per enrolment (S4)."""

    path = "/programs/digistart/enrolments/{enrolment_id:int}/website"
    tags = ["digistart"]

    @get("", operation_id="digistartWebsite", opt=access(COHORT_TEAM))
    async def read(self, enrolment_id: Id, request: Request[Principal, str, object]) -> WebsiteRead:
        """Every submission with its reviews, and where the website stands."""
        return await websites.website(request.user, enrolment_id)

    @post("/submissions", operation_id="digistartSubmitWebsite", opt=access(COHORT_TEAM))
    async def submit(
        self,
        enrolment_id: Id,
        data: JSONBody[SubmissionInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SubmissionRead:
        """Record the website's address or repository, as the learner hands it in."""
        return await websites.submit(runtime, request.user, enrolment_id, data)

    @post(
        "/submissions/{submission_id:int}/reviews",
        operation_id="digistartReviewWebsite",
        opt=access(COHORT_TEAM),
    )
    async def review(
        self,
        enrolment_id: Id,
        submission_id: Id,
        data: JSONBody[ReviewInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ReviewRead:
        """Accept the latest submission, or ask for changes saying which."""
        return await websites.review(runtime, request.user, enrolment_id, submission_id, data)
