"""The privacy API: a learner's full export (JSON or PDF) and their erasure."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.auth.access import ADMINS, SITE_MANAGERS, access
from core.auth.roles import Principal
from core.privacy.erasure import ErasureInput, ErasureRead, erase
from core.privacy.export import LearnerExport, learner_export
from core.privacy.export_pdf import export_pdf
from core.runtime import Runtime

LearnerId = Annotated[int, PathParameter(ge=1)]


class PrivacyController(Controller):
    """A learner's rights over their data: access (export) and erasure."""

    path = "/api/v1/learners/{learner_id:int}"
    tags = ["privacy"]

    @get("/export", operation_id="exportLearnerData", opt=access(SITE_MANAGERS))
    async def export(
        self,
        learner_id: LearnerId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerExport:
        """Everything Essaim holds on the learner, core's tables and plugins', grouped by
        table: every row that leads to them (their applications, enrolments and what hangs
        on those), as stored. For the learner's site managers and admins; audited
        (``learner.exported``, ids only)."""
        return await learner_export(
            runtime.host, request.user, learner_id, now=runtime.clock.now(), kind="json"
        )

    @get(
        "/export.pdf",
        operation_id="printLearnerData",
        opt=access(SITE_MANAGERS),
        media_type="application/pdf",
    )
    async def export_pdf(
        self,
        learner_id: LearnerId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """The same export as a readable French PDF, to hand to the person."""
        data = await learner_export(
            runtime.host, request.user, learner_id, now=runtime.clock.now(), kind="pdf"
        )
        return Response(
            export_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="donnees-{learner_id}.pdf"'},
        )

    @post("/erase", operation_id="eraseLearner", opt=access(ADMINS))
    async def erase(
        self,
        learner_id: LearnerId,
        data: JSONBody[ErasureInput],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ErasureRead:
        """Erase the learner's personal data everywhere, in one transaction (docs/privacy.md).

        Every declared personal column of every row that leads to the learner, core's and
        plugins', is emptied; the record keeps its gender, an age band, its audience flags,
        its site and its dates, and reads as "Personne effacée". Every report counts the same
        afterwards. The erasure is logged (ids only) and replayed by every restore. Admins
        only, with a ``reason`` and ``confirm: true`` (422 without); 409 when already erased.
        """
        return await erase(runtime.host, request.user, learner_id, data, now=runtime.clock.now())
