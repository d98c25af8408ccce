"""The import page: a site manager uploads a CSV or XLSX file of learners or applications,
reads its dry run (every invalid row with its line and column), then confirms the import of
the file kept on the server (``core.staged_imports``, the code ``essaim import`` runs)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from core.applications.importing import COLUMNS as APPLICATION_COLUMNS
from core.auth.access import SITE_MANAGEMENT, access, page
from core.auth.roles import Principal
from core.errors import NotFound
from core.imports import RowError
from core.learners.importing import COLUMNS as LEARNER_COLUMNS
from core.runtime import Runtime
from core.staged_imports import (
    MAX_BYTES,
    FileRefused,
    ImportKind,
    Refusal,
    StagedImport,
    importable_sites,
    run_staged,
    stage,
)
from core.web.access import PAGE_ERRORS
from core.web.i18n import gettext as _
from core.web.plain_words import plain

PATH = "/antenne/import"
CONFIRM = f"{PATH}/confirmer"
BODY_LIMIT = MAX_BYTES + 64 * 1024
"""The largest request read: the file and the form's other fields."""
DONE = ("crees", "ignores", "invalides")
"""The queries that give an import's counts once it is done."""


def _refusal(reason: Refusal) -> str:
    return {
        Refusal.TYPE: _("File: choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
        Refusal.EMPTY: _("File: the file is empty."),
        Refusal.SIZE: _("File: the file is too big (%(most)s MB at most).")
        % {"most": MAX_BYTES // (1024 * 1024)},
        Refusal.ENCODING: _(
            "File: the CSV file is not in UTF-8. In your spreadsheet, save it as "
            "“CSV UTF-8”, then try again."
        ),
        Refusal.UNREADABLE: _("File: the file cannot be read as a spreadsheet."),
        Refusal.GONE: _(
            "The file is no longer kept (already imported, or too old): upload it again."
        ),
    }[reason]


def row_message(error: RowError) -> str:
    """A row error's message in the reader's language where it is a known one."""
    return plain(error.message)


def _render(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    staged: StagedImport | None = None,
    done: dict[str, int] | None = None,
    status_code: int = 200,
) -> Template:
    user = request.scope.get("user")
    sites = importable_sites(runtime, user) if user else []
    names = {slug: site.config.name for slug in sites if (site := runtime.sites.get(slug))}
    return Template(
        "records/import.html",
        context={
            "user": user,
            "sites": names,
            "kinds": list(ImportKind),
            "typed": typed or {"site": sites[0] if len(sites) == 1 else "", "kind": ""},
            "errors": errors or {},
            "staged": staged,
            "message": row_message,
            "done": done,
            "most": MAX_BYTES // (1024 * 1024),
            "columns": {
                ImportKind.LEARNERS: LEARNER_COLUMNS,
                ImportKind.APPLICATIONS: APPLICATION_COLUMNS,
            },
            "action": PATH,
            "confirm": CONFIRM,
        },
        status_code=status_code,
    )


def too_big(request: Request[Any, Any, Any], exc: ClientException) -> Response:
    """A body past the limit (413), or a form that cannot be read (400): said in place."""
    runtime: Runtime = request.app.state.runtime
    reason = Refusal.SIZE if exc.status_code == 413 else Refusal.UNREADABLE
    return _render(
        request, runtime, errors={"fichier": _refusal(reason)}, status_code=exc.status_code
    )


class ImportPageController(Controller):
    """Imports of learners and applications, behind the sign-in."""

    path = PATH
    include_in_schema = False
    opt = access(page(SITE_MANAGEMENT))
    exception_handlers = {**PAGE_ERRORS, ClientException: too_big}  # type: ignore[dict-item]
    request_max_body_size = BODY_LIMIT

    @get()
    async def show(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        created: Annotated[int | None, QueryParameter(name="crees", ge=0)] = None,
        skipped: Annotated[int | None, QueryParameter(name="ignores", ge=0)] = None,
        invalid: Annotated[int | None, QueryParameter(name="invalides", ge=0)] = None,
    ) -> Template:
        """The upload form, and the counts of the import just done."""
        done = None
        if created is not None:
            done = {"created": created, "skipped": skipped or 0, "invalid": invalid or 0}
        return _render(request, runtime, done=done)

    @post(status_code=200)
    async def check(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template:
        """Keep the file and show its dry run, with the button that imports it."""
        importable_sites(runtime, request.user)
        form = await request.form()
        typed = {"site": str(form.get("site", "")), "kind": str(form.get("kind", ""))}
        upload = form.get("fichier")
        errors: dict[str, str] = {}
        if typed["site"] not in importable_sites(runtime, request.user):
            errors["site"] = _("Site: choose one of your sites.")
        try:
            kind = ImportKind(typed["kind"])
        except ValueError:
            errors["kind"] = _("What the file lists: choose learners or applications.")
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors["fichier"] = _("File: choose the file to import.")
        if errors:
            return _render(request, runtime, typed=typed, errors=errors, status_code=422)
        assert isinstance(upload, UploadFile)
        content = await upload.read()
        try:
            staged = await stage(
                runtime, request.user, typed["site"], kind, upload.filename, content
            )
        except NotFound:
            errors["site"] = _("Site: choose one of your sites.")
        except FileRefused as refused:
            errors["fichier"] = _refusal(refused.reason)
        if errors:
            return _render(request, runtime, typed=typed, errors=errors, status_code=422)
        return _render(request, runtime, typed=typed, staged=staged)

    @post("/confirmer", status_code=303)
    async def confirm(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Import the file kept for its dry run, then say how many rows were imported."""
        importable_sites(runtime, request.user)
        form = await request.form()
        token = str(form.get("fichier", ""))
        try:
            done = await run_staged(runtime, request.user, token)
        except FileRefused as refused:
            return _render(
                request, runtime, errors={"fichier": _refusal(refused.reason)}, status_code=422
            )
        report = done.report
        counts = (report.created, report.skipped, len(report.invalid))
        query = "&".join(f"{name}={count}" for name, count in zip(DONE, counts, strict=True))
        return Redirect(f"{PATH}?{query}", status_code=303)
