"""The attendance page: a session's sheet, taken in a few taps by its trainer or a manager
of its site, and recorded through the attendance service the API uses."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.attendance import service as attendance
from core.attendance.schemas import SheetRead, SignatureMethod
from core.auth.access import COHORT_TEAM, access, page
from core.auth.roles import Principal
from core.cohorts import service as cohorts
from core.db.limits import ID_MAX
from core.errors import Conflict, InvalidField
from core.runtime import Runtime
from core.scheduling import service as scheduling
from core.web.access import PAGE_ERRORS
from core.web.attendance_form import STATUSES, SheetForm, check
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
SAVED = "enregistre"


def address(session_id: int) -> str:
    """Where a session's attendance page lives."""
    return f"/seances/{session_id}/emargement"


class AttendancePageController(Controller):
    """A session's attendance sheet, behind the sign-in."""

    path = "/seances/{session_id:int}/emargement"
    include_in_schema = False
    opt = access(page(COHORT_TEAM))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        session_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        saved: Annotated[bool, QueryParameter(name=SAVED)] = False,
    ) -> Template:
        """The sheet as recorded so far, ready to fill in."""
        sheet = await attendance.sheet(request.user, session_id)
        return await _page(request, runtime, sheet, SheetForm.from_sheet(sheet), saved=saved)

    @post(status_code=303)
    async def record(
        self,
        session_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Record the sheet and come back to it; on an error show it again as typed, each
        message next to its field."""
        sheet = await attendance.sheet(request.user, session_id)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        form = SheetForm.from_post(sheet, posted)
        data = check(form, sheet)
        if data is not None:
            try:
                await attendance.record_sheet(runtime, request.user, session_id, data)
            except Conflict:
                form.errors["feuille"] = _("Attendance is recorded once the session has started.")
            except InvalidField:
                form.errors["feuille"] = _(
                    "The sheet was refused: the list of learners has changed. "
                    "Check it and save again."
                )
            else:
                return Redirect(f"{address(session_id)}?{SAVED}=1", status_code=303)
        return await _page(request, runtime, sheet, form, status_code=422)


async def _page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    sheet: SheetRead,
    form: SheetForm,
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Template:
    session = await scheduling.get_session(request.user, sheet.session)
    cohort = await cohorts.get_cohort(request.user, session.cohort)
    signed = sheet.trainer_signed_at
    return Template(
        "attendance/sheet.html",
        context={
            "user": request.user,
            "session": session,
            "cohort": cohort,
            "sheet": sheet,
            "form": form,
            "statuses": STATUSES,
            "signatures": list(SignatureMethod),
            "started": session.start <= runtime.clock.now(),
            "signed_at": signed.astimezone(ZoneInfo(session.timezone)) if signed else None,
            "saved": saved,
            "action": address(sheet.session),
        },
        status_code=status_code,
    )
