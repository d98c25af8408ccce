"""A cohort's assessments page: each learner's latest results, and a form that records one
assessment's results for the whole cohort, through the service the API uses
(``core.completion.assessments.record``), by its trainers or the site's managers."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import COHORT_TEAM, access, page
from core.auth.roles import Principal
from core.completion import assessments
from core.completion.programs import assessments_of
from core.completion.schemas import AssessmentRead, AssessmentSheet
from core.db.limits import ID_MAX
from core.errors import Conflict, InvalidField
from core.plugin import Assessment
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS
from core.web.assessment_form import ASSESSMENT, ResultsForm, check, value_field
from core.web.cohort_records import CohortRecords, cohort_records
from core.web.i18n import gettext as _

Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
SAVED = "enregistre"
"""The query that confirms a recording, with the count of results recorded."""


def address(cohort_id: int) -> str:
    """Where a cohort's assessments page lives."""
    return f"/cohortes/{cohort_id}/evaluations"


def _declared(runtime: Runtime, records: CohortRecords) -> tuple[Assessment, ...]:
    """The program's assessments of the cohort's track (none when it is not installed)."""
    program = runtime.host.program(records.cohort.program)
    return assessments_of(runtime, program, records.cohort.track) if program else ()


class AssessmentPageController(Controller):
    """A cohort's assessment results, behind the sign-in."""

    path = "/cohortes/{cohort_id:int}/evaluations"
    include_in_schema = False
    opt = access(page(COHORT_TEAM))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        chosen: Annotated[str, QueryParameter(name=ASSESSMENT, max_length=32)] = "",
        saved: Annotated[int | None, QueryParameter(name=SAVED, ge=0, le=ID_MAX)] = None,
    ) -> Template:
        """The results so far, and the form for the assessment chosen (the first one the
        page may record, unless another is asked for)."""
        records = await cohort_records(runtime, request.user, cohort_id)
        form = ResultsForm(assessment=chosen, day=records.today.isoformat())
        return await _page(request, runtime, records, form, saved=saved)

    @post(status_code=303)
    async def record(
        self,
        cohort_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Record the results given, one per learner; on an error show the form again as
        typed, each message next to its field, and record nothing."""
        records = await cohort_records(runtime, request.user, cohort_id)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        form = ResultsForm.from_post(records.learners, posted)
        recordable = {a.key: a for a in _declared(runtime, records) if not a.program_only}
        results = check(form, records.learners, recordable.get(form.assessment), records.today)
        if results is not None:
            done = 0
            for entry, data in results:
                try:
                    await assessments.record(runtime, request.user, entry.enrolment, data)
                except (Conflict, InvalidField):
                    form.errors[value_field(entry.enrolment)] = _(
                        "Result of %(name)s: it was refused, since the learner is no longer "
                        "enrolled in this cohort. Reload the page."
                    ) % {"name": f"{entry.first_name} {entry.last_name}"}
                else:
                    done += 1
            if not form.errors:
                target = f"{address(cohort_id)}?{ASSESSMENT}={form.assessment}&{SAVED}={done}"
                return Redirect(target, status_code=303)
        return await _page(request, runtime, records, form, status_code=422)


async def _page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    records: CohortRecords,
    form: ResultsForm,
    *,
    saved: int | None = None,
    status_code: int = 200,
) -> Template:
    user = request.user
    declared = _declared(runtime, records)
    sheets: dict[int, AssessmentSheet] = {}
    if declared:
        # Without its program installed, a cohort's assessments are unknown: none shown.
        for entry in records.learners:
            sheets[entry.enrolment] = await assessments.sheet(runtime, user, entry.enrolment)
    items: list[AssessmentRead] = next(iter(sheets.values())).items if sheets else []
    program_only = {a.key for a in declared if a.program_only}
    recordable = [item for item in items if item.key not in program_only]
    by_program = [item for item in items if item.key in program_only]
    chosen = next((i for i in recordable if i.key == form.assessment), None)
    if chosen is None and recordable:
        chosen = recordable[0]
        form.assessment = chosen.key
    latest = {
        enrolment: {item.key: item.latest for item in sheet.items}
        for enrolment, sheet in sheets.items()
    }
    return Template(
        "records/assessments.html",
        context={
            "user": user,
            "records": records,
            "items": items,
            "recordable": recordable,
            "by_program": by_program,
            "chosen": chosen,
            "latest": latest,
            "form": form,
            "saved": saved,
            "action": address(records.cohort.id),
        },
        status_code=status_code,
    )
