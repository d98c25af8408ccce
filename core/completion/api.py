"""The assessment and completion API: thin handlers over ``core.completion``'s services."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.auth.access import COHORT_MANAGERS, COHORT_TEAM, access
from core.auth.roles import Principal
from core.completion import assessments, decisions
from core.completion.attestations import attestation_pdf
from core.completion.schemas import (
    AssessmentSheet,
    CompletionRead,
    OverrideInput,
    ResultInput,
    ResultRead,
)
from core.db.limits import ID_MAX
from core.runtime import Runtime

EnrolmentId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class CompletionController(Controller):
    """Assessment results, the completion decision and its attestation, per enrolment."""

    path = "/api/v1/enrolments/{enrolment_id:int}"
    tags = ["completion"]

    @get("/assessments", operation_id="getAssessments", opt=access(COHORT_TEAM))
    async def sheet(
        self,
        enrolment_id: EnrolmentId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> AssessmentSheet:
        """The program's assessments for the learner's track, each with its results."""
        return await assessments.sheet(runtime, request.user, enrolment_id)

    @post("/assessments", operation_id="recordAssessmentResult", opt=access(COHORT_TEAM))
    async def record(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[ResultInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ResultRead:
        """Record a result; it supersedes the assessment's previous one, which stays."""
        return await assessments.record(runtime, request.user, enrolment_id, data)

    @get("/completion", operation_id="getCompletion", opt=access(COHORT_TEAM))
    async def get_completion(
        self, enrolment_id: EnrolmentId, request: Request[Principal, str, object]
    ) -> CompletionRead:
        """The completion decision, with each rule's finding and the facts it was taken on."""
        return await decisions.completion(request.user, enrolment_id)

    @post(
        "/completion", operation_id="decideCompletion", opt=access(COHORT_MANAGERS), status_code=200
    )
    async def decide(
        self,
        enrolment_id: EnrolmentId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CompletionRead:
        """Ask the program whether the learner completed; a completer gets a numbered
        attestation."""
        return await decisions.decide(runtime, request.user, enrolment_id)

    @post(
        "/completion/override",
        operation_id="overrideCompletion",
        opt=access(COHORT_MANAGERS),
        status_code=200,
    )
    async def override(
        self,
        enrolment_id: EnrolmentId,
        data: JSONBody[OverrideInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CompletionRead:
        """Declare completion despite a refusal, with the reason (audited)."""
        return await decisions.override(runtime, request.user, enrolment_id, data)

    @get(
        "/attestation.pdf",
        operation_id="printCompletionAttestation",
        opt=access(COHORT_TEAM),
        media_type="application/pdf",
    )
    async def attestation(
        self,
        enrolment_id: EnrolmentId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """The numbered completion attestation (RULES.md C5)."""
        content = await attestation_pdf(runtime, request.user, enrolment_id)
        return Response(
            content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="attestation-{enrolment_id}.pdf"'
            },
        )
