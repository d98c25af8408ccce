"""The attendance API: a session's sheet, and a cohort's rates and flags."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.attendance import service
from core.attendance.schemas import CohortAttendance, SheetInput, SheetRead
from core.auth.access import COHORT_TEAM, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.runtime import Runtime

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class AttendanceController(Controller):
    """Attendance of the sessions and cohorts within the caller's scope."""

    opt = access(COHORT_TEAM)

    tags = ["attendance"]

    @get("/api/v1/sessions/{session_id:int}/attendance", operation_id="getAttendanceSheet")
    async def get_sheet(
        self, session_id: Id, request: Request[Principal, str, object]
    ) -> SheetRead:
        """The session's sheet: every enrolled learner, their mark and signed half-days."""
        return await service.sheet(request.user, session_id)

    @put("/api/v1/sessions/{session_id:int}/attendance", operation_id="recordAttendance")
    async def record(
        self,
        session_id: Id,
        data: JSONBody[SheetInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> SheetRead:
        """Record the whole session's attendance, the learners' and the trainer's signatures."""
        return await service.record_sheet(runtime, request.user, session_id, data)

    @get("/api/v1/cohorts/{cohort_id:int}/attendance", operation_id="getCohortAttendance")
    async def cohort(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> CohortAttendance:
        """Each learner's attendance against the whole planned program, and the flags."""
        return await service.cohort_attendance(runtime, request.user, cohort_id)

    @get(
        "/api/v1/sessions/{session_id:int}/attendance.pdf",
        operation_id="printAttendanceSheet",
        media_type="application/pdf",
    )
    async def sheet_pdf(
        self,
        session_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """The session's attendance sheet to print and sign: one page per half-day."""
        content = await service.sheet_pdf(runtime, request.user, session_id)
        return _pdf(content, f"emargement-seance-{session_id}.pdf")

    @get(
        "/api/v1/cohorts/{cohort_id:int}/learners/{learner_id:int}/hours-certificate.pdf",
        operation_id="printHoursCertificate",
        media_type="application/pdf",
    )
    async def certificate_pdf(
        self,
        cohort_id: Id,
        learner_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """The certificate of the hours the learner attended in the cohort (RULES.md C5)."""
        content = await service.hours_certificate_pdf(runtime, request.user, cohort_id, learner_id)
        return _pdf(content, f"certificat-heures-{cohort_id}-{learner_id}.pdf")


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
