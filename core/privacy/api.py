"""The privacy API: a learner's full export (JSON or PDF) and their erasure."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import ADMINS, SITE_MANAGERS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.privacy.erasure import ErasureInput, ErasureRead, erase
from core.privacy.export import LearnerExport, learner_export
from core.privacy.export_pdf import export_pdf
from core.privacy.restricted import RestrictedDocumentList, list_documents, read_document
from core.runtime import Runtime

LearnerId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


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
        plugins', is emptied, once the learner's completion attestations and certificates of
        hours attended are stored in the restricted store (``/restricted-documents``). The
        record keeps its gender, an age band, its audience flags, its site and its dates, and
        reads as "Personne effacée"; every report counts the same afterwards. The erasure is
        logged (ids only) and replayed by every restore. Admins only, with a ``reason`` and
        ``confirm: true`` (422 without); 409 when already erased.
        """
        return await erase(runtime, request.user, learner_id, data)


class RestrictedDocumentController(Controller):
    """The restricted store: erased learners' proof documents, for admins only."""

    path = "/api/v1/restricted-documents"
    tags = ["privacy"]
    opt = access(ADMINS)

    @get("/", operation_id="listRestrictedDocuments")
    async def list_documents(
        self,
        request: Request[Principal, str, object],
        learner: Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)] = None,
    ) -> RestrictedDocumentList:
        """The proof documents kept after erasures (of one ``learner`` when given), with
        their kind, enrolment and expiry, without their content. Admins only."""
        return await list_documents(request.user, learner)

    @get("/{document_id:int}", operation_id="readRestrictedDocument", media_type="application/pdf")
    async def read_document(
        self,
        document_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response[bytes]:
        """One proof document as stored (a PDF), the read audited. Admins only."""
        document, content = await read_document(request.user, document_id, runtime.clock.now())
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{document.file_name}"'},
        )
