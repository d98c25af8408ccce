"""A cohort's completion page: each learner's completion as the program's rules decided it,
with the findings in plain words and the hours it was decided on, the site manager's action
that asks the program for its decision (``core.completion.decisions.decide``, as the API),
and each completer's attestation."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import COHORT_MANAGERS, COHORT_TEAM, access, page
from core.auth.roles import Principal
from core.completion import decisions
from core.completion.schemas import CompletionRead
from core.db.limits import ID_MAX
from core.errors import Conflict, Forbidden, NotFound
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS
from core.web.cohort_view import CohortRecords, cohort_records
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
DECIDED = "decide"
"""The query that confirms a decision, with the enrolment it was taken on."""
ENROLMENT = "inscription"


def address(cohort_id: int) -> str:
    """Where a cohort's completion page lives."""
    return f"/cohortes/{cohort_id}/validation"


class CompletionPageController(Controller):
    """A cohort's completion decisions and attestations, behind the sign-in."""

    path = "/cohortes/{cohort_id:int}/validation"
    include_in_schema = False
    opt = access(page(COHORT_TEAM))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        decided: Annotated[int | None, QueryParameter(name=DECIDED, ge=1, le=ID_MAX)] = None,
    ) -> Template:
        """Each learner's decision so far, and the actions the reader may take."""
        records = await cohort_records(runtime, request.user, cohort_id)
        return await _page(request, records, decided=decided)

    @post(status_code=303, opt=access(page(COHORT_MANAGERS)))
    async def decide(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Ask the program whether the chosen learner completed, and record its answer."""
        records = await cohort_records(runtime, request.user, cohort_id)
        if not request.user.can_manage_site(records.cohort.site):
            # The service refuses it too; refused before the form is read, as the API does.
            raise Forbidden("only the site's managers and admins decide completion")
        posted = {key: str(value) for key, value in (await request.form()).items()}
        chosen = posted.get(ENROLMENT, "")
        entry = next((e for e in records.learners if str(e.enrolment) == chosen), None)
        if entry is None:
            errors = {"decisions": _("Choose a learner enrolled in this cohort.")}
        else:
            try:
                await decisions.decide(runtime, request.user, entry.enrolment)
            except Conflict:
                errors = {
                    f"personne-{entry.enrolment}": _(
                        "Completion of %(name)s: it cannot be decided now, since the learner "
                        "is no longer enrolled. Reload the page."
                    )
                    % {"name": f"{entry.first_name} {entry.last_name}"}
                }
            else:
                at = entry.enrolment
                target = f"{address(cohort_id)}?{DECIDED}={at}#personne-{at}"
                return Redirect(target, status_code=303)
        return await _page(request, records, errors=errors, status_code=422)


async def _decision(user: Principal, enrolment: int) -> CompletionRead | None:
    try:
        return await decisions.completion(user, enrolment)
    except NotFound:
        return None


async def _page(
    request: Request[Principal, str, object],
    records: CohortRecords,
    *,
    decided: int | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    user = request.user
    found = {e.enrolment: await _decision(user, e.enrolment) for e in records.learners}
    return Template(
        "records/completion.html",
        context={
            "user": user,
            "records": records,
            "decisions": found,
            "manages": user.can_manage_site(records.cohort.site),
            "decided": decided,
            "errors": errors or {},
            "action": address(records.cohort.id),
        },
        status_code=status_code,
    )
