"""DIGITOUS's HTTP routes, mounted by core under ``/api/v1/programs/digitous``: thin handlers
over ``reviews`` (T1) and ``placements`` (T3)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.plugin import ID_MAX
from core.plugin.services import COHORT_MANAGERS, COHORT_TEAM, Principal, Runtime, access
from plugins.digitous import placements, reviews
from plugins.digitous.schemas import (
    AgreementInput,
    CodeReviewInput,
    CodeReviewList,
    CodeReviewRead,
    EvaluationInput,
    PlacementInput,
    PlacementRead,
    RenewalInput,
)

EnrolmentId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class DigitousController(Controller):
    """Code reviews of bootcamp learners, and placements in a company, per enrolment."""

    path = "/programs/digitous/enrolments/{enrolment_id:int}"
    tags = ["digitous"]

    @get("/code-reviews", operation_id="digitousListCodeReviews", opt=access(COHORT_TEAM))
    async def list_reviews(
        self, enrolment_id: EnrolmentId, request: Request[Principal, str, object]
    ) -> CodeReviewList:
        """The learner's code reviews, oldest first."""
        return await reviews.reviews(request.user, enrolment_id)

    @post("/code-reviews", operation_id="digitousRecordCodeReview", opt=access(COHORT_TEAM))
    async def record_review(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[CodeReviewInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CodeReviewRead:
        """Record a code review (a trainer of the cohort or a manager of the site)."""
        return await reviews.record(runtime, request.user, enrolment_id, data)

    @get("/placement", operation_id="digitousGetPlacement", opt=access(COHORT_TEAM))
    async def get_placement(
        self, enrolment_id: EnrolmentId, request: Request[Principal, str, object]
    ) -> PlacementRead:
        """The placement with its agreement and the tutor's evaluations."""
        return await placements.placement(request.user, enrolment_id)

    @post("/placement", operation_id="digitousCreatePlacement", opt=access(COHORT_MANAGERS))
    async def create_placement(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[PlacementInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementRead:
        """Create the placement under a legal frame the site signs (T3)."""
        return await placements.create(runtime, request.user, enrolment_id, data)

    @post(
        "/placement/renewal",
        operation_id="digitousRenewPlacement",
        opt=access(COHORT_MANAGERS),
        status_code=200,
    )
    async def renew_placement(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[RenewalInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementRead:
        """Renew a PMSMP once, for at most one month."""
        return await placements.renew(runtime, request.user, enrolment_id, data)

    @post(
        "/placement/agreement",
        operation_id="digitousSignAgreement",
        opt=access(COHORT_MANAGERS),
        status_code=200,
    )
    async def sign_agreement(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[AgreementInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementRead:
        """Record the signed agreement and who signed it."""
        return await placements.sign(runtime, request.user, enrolment_id, data)

    @post(
        "/placement/evaluations",
        operation_id="digitousRecordEvaluation",
        opt=access(COHORT_MANAGERS),
    )
    async def record_evaluation(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[EvaluationInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementRead:
        """Record the tutor's mid-term or final evaluation."""
        return await placements.evaluate(runtime, request.user, enrolment_id, data)
