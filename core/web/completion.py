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
from core.completion.decisions import MIN_OVERRIDE_REASON
from core.completion.schemas import CompletionPreview, CompletionRead, OverrideInput
from core.db.limits import ID_MAX
from core.enrolment.schemas import RosterEntry
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS
from core.web.cohort_records import CohortRecords, cohort_records
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
DECIDED = "decide"
"""The query that confirms a decision, with the enrolment it was taken on."""
OVERRIDDEN = "derogation"
"""The query that confirms an override, with the enrolment it was declared on."""
ENROLMENT = "inscription"
LONGEST_REASON = 1000
"""The longest reason the service keeps (``OverrideInput.reason``)."""


def reason_field(enrolment: int) -> str:
    """The name of the field holding the reason of an override for ``enrolment``."""
    return f"motif-{enrolment}"


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
        overridden: Annotated[int | None, QueryParameter(name=OVERRIDDEN, ge=1, le=ID_MAX)] = None,
    ) -> Template:
        """Each learner's decision so far, and the actions the reader may take."""
        records = await cohort_records(runtime, request.user, cohort_id)
        return await _page(request, runtime, records, decided=decided, overridden=overridden)

    @post(status_code=303, opt=access(page(COHORT_MANAGERS)))
    async def decide(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Ask the program whether the chosen learner completed, and record its answer."""
        records, _posted, entry = await _managed(runtime, request, cohort_id)
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
        return await _page(request, runtime, records, errors=errors, status_code=422)

    @post("/derogation", status_code=303, opt=access(page(COHORT_MANAGERS)))
    async def override(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Declare the chosen learner's completion despite the program's refusal, with the
        reason the site manager gives (audited)."""
        records, posted, entry = await _managed(runtime, request, cohort_id)
        if entry is None:
            errors = {"decisions": _("Choose a learner enrolled in this cohort.")}
            return await _page(request, runtime, records, errors=errors, status_code=422)
        field = reason_field(entry.enrolment)
        reason = posted.get(field, "").strip()
        name = f"{entry.first_name} {entry.last_name}"
        errors = {}
        if not MIN_OVERRIDE_REASON <= len(reason) <= LONGEST_REASON:
            errors[field] = _(
                "Reason for %(name)s: say why the training is completed despite the program's "
                "rules, in %(least)s to %(most)s characters."
            ) % {"name": name, "least": MIN_OVERRIDE_REASON, "most": LONGEST_REASON}
        else:
            try:
                await decisions.override(
                    runtime, request.user, entry.enrolment, OverrideInput(reason=reason)
                )
            except (Conflict, InvalidField):
                errors[field] = _(
                    "Completion of %(name)s: it can be declared only after the program refused "
                    "it, and only once. Reload the page."
                ) % {"name": name}
            else:
                at = entry.enrolment
                target = f"{address(cohort_id)}?{OVERRIDDEN}={at}#personne-{at}"
                return Redirect(target, status_code=303)
        return await _page(request, runtime, records, errors=errors, typed=posted, status_code=422)


async def _managed(
    runtime: Runtime, request: Request[Principal, str, object], cohort_id: int
) -> tuple[CohortRecords, dict[str, str], RosterEntry | None]:
    """The cohort, the form posted and the learner it names, once the caller is known to
    manage the cohort's site (the service refuses others too; refused here before the form
    is read, as the API does)."""
    records = await cohort_records(runtime, request.user, cohort_id)
    if not request.user.can_manage_site(records.cohort.site):
        raise Forbidden("only the site's managers and admins decide completion")
    posted = {key: str(value) for key, value in (await request.form()).items()}
    chosen = posted.get(ENROLMENT, "")
    entry = next((e for e in records.learners if str(e.enrolment) == chosen), None)
    return records, posted, entry


async def _decision(user: Principal, enrolment: int) -> CompletionRead | None:
    try:
        return await decisions.completion(user, enrolment)
    except NotFound:
        return None


async def _preview(
    runtime: Runtime, user: Principal, enrolment: int, decision: CompletionRead | None
) -> CompletionPreview | None:
    """What the program's rules give today, for a learner not yet completed; None when
    completed, when it is what the refusal recorded already said, or when the program is
    not installed."""
    if decision is not None and decision.completed:
        return None
    try:
        today = await decisions.preview(runtime, user, enrolment)
    except Conflict:
        return None
    if decision is not None and today.findings == decision.findings:
        return None
    return today


async def _page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    records: CohortRecords,
    *,
    decided: int | None = None,
    overridden: int | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    user = request.user
    found = {e.enrolment: await _decision(user, e.enrolment) for e in records.learners}
    previews = {
        enrolment: await _preview(runtime, user, enrolment, decision)
        for enrolment, decision in found.items()
    }
    return Template(
        "records/completion.html",
        context={
            "user": user,
            "records": records,
            "decisions": found,
            "previews": previews,
            "manages": user.can_manage_site(records.cohort.site),
            "decided": decided,
            "overridden": overridden,
            "errors": errors or {},
            "typed": typed or {},
            "least": MIN_OVERRIDE_REASON,
            "action": address(records.cohort.id),
        },
        status_code=status_code,
    )
