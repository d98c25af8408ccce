"""DIGITAL's certification routes (D5), served under ``/api/v1/programs/digital/``.

Thin handlers over the plugin's services, which apply core's scope, roles and audit trail
through ``core.plugin.services``.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.plugin import ID_MAX
from core.plugin.services import (
    ANY_ACCOUNT,
    COHORT_MANAGERS,
    COHORT_TEAM,
    SITE_MANAGERS,
    Principal,
    Runtime,
    access,
)
from plugins.digital import attempts, exams, placement_results, results_import
from plugins.digital.placement import TESTS, PlacementTest
from plugins.digital.placement_results import PlacementInput, PlacementRead
from plugins.digital.schemas import (
    AttemptInput,
    AttemptRead,
    CertificateInput,
    CertificateRead,
    CertificationRead,
    ExamSessionInput,
    ExamSessionRead,
    ImportReport,
)

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class CertificationController(Controller):
    """A DIGITAL learner's ICDL attempts and certificates, per enrolment."""

    path = "/programs/digital/enrolments/{enrolment_id:int}"
    tags = ["digital"]

    @get("/certification", operation_id="digitalGetCertification", opt=access(COHORT_TEAM))
    async def certification(
        self, enrolment_id: Id, request: Request[Principal, str, object]
    ) -> CertificationRead:
        """The enrolment's attempts, what they would entitle to, the certificates issued."""
        return await attempts.certification(request.user, enrolment_id)

    @post("/icdl-attempts", operation_id="digitalRecordAttempt", opt=access(COHORT_MANAGERS))
    async def record_attempt(
        self,
        enrolment_id: Id,
        data: JSONBody[AttemptInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> AttemptRead:
        """Record an attempt at an ICDL module (75 % passes)."""
        return await attempts.record_attempt(runtime, request.user, enrolment_id, data)

    @post("/certificates", operation_id="digitalRecordCertificate", opt=access(COHORT_MANAGERS))
    async def record_certificate(
        self,
        enrolment_id: Id,
        data: JSONBody[CertificateInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CertificateRead:
        """Record the certificate the national operator issued: level, number, date."""
        return await attempts.record_certificate(runtime, request.user, enrolment_id, data)


class ExamSessionController(Controller):
    """PCIE/ICDL exam sessions of a site, their candidates and their result sheets."""

    path = "/programs/digital/exam-sessions"
    tags = ["digital"]

    @post("/", operation_id="digitalCreateExamSession", opt=access(SITE_MANAGERS))
    async def create(
        self,
        data: JSONBody[ExamSessionInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ExamSessionRead:
        """Create an exam session at a site, with candidates from its DIGITAL cohorts."""
        return await exams.create_session(runtime, request.user, data)

    @get("/{session_id:int}", operation_id="digitalGetExamSession", opt=access(SITE_MANAGERS))
    async def read(
        self, session_id: Id, request: Request[Principal, str, object]
    ) -> ExamSessionRead:
        """The exam session and its candidate list."""
        return await exams.read_session(request.user, session_id)

    @post(
        "/{session_id:int}/results",
        operation_id="digitalImportResults",
        opt=access(SITE_MANAGERS),
        status_code=200,
    )
    async def import_results(
        self,
        session_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        dry_run: Annotated[bool, QueryParameter()] = False,
    ) -> ImportReport:
        """Import a test centre's result sheet (CSV, ``;`` or ``,``); ``dry_run=true``
        reports every invalid row and writes nothing."""
        content = await request.body()
        return await results_import.import_results(
            runtime, request.user, session_id, content, dry_run=dry_run
        )


class PlacementController(Controller):
    """DIGITAL's placement tests (D2): their sections and pass marks, and scored results."""

    path = "/programs/digital"
    tags = ["digital"]

    @get("/placement-tests", operation_id="digitalListPlacementTests", opt=access(ANY_ACCOUNT))
    async def tests(self) -> list[PlacementTest]:
        """The placement test of each level that asks one, with its sections and pass marks."""
        return list(TESTS.values())

    @post(
        "/applications/{application_id:int}/placement-test",
        operation_id="digitalScorePlacement",
        opt=access(SITE_MANAGERS),
    )
    async def record(
        self,
        application_id: Id,
        data: JSONBody[PlacementInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> PlacementRead:
        """Score a placement test by section and record its result for the application."""
        return await placement_results.record_placement(runtime, request.user, application_id, data)


ROUTES = [CertificationController, ExamSessionController, PlacementController]
