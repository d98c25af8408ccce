"""The learners of the manager's sites: a search by name, phone or birth date, one learner's
record (its read audited like the API's), and the record's edit form, through the services
the API uses."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import SITE_MANAGERS, access, listing, page
from core.auth.roles import Principal, Role
from core.errors import InvalidField
from core.learners import service as learners
from core.learners.schemas import (
    EmploymentStatus,
    Gender,
    LearnerRead,
    LevelMethod,
    Qualification,
    RefugeeStatus,
)
from core.plugin import CefrLevel
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS, home_of
from core.web.learner_forms import FIELDS, messages, read_record, read_search
from core.web.learner_view import learner_page, partner_choices

Id = Annotated[int, PathParameter(ge=1)]
PER_PAGE = 20
MOST_PAGES = 500
"""How far the search pages: past it, a narrower search is the way."""
SEARCH = "/apprenants"
DONE = "fait"
"""The query that confirms a change of the record."""


def address(learner_id: int) -> str:
    """Where a learner's record lives."""
    return f"{SEARCH}/{learner_id}"


def _page_link(query: str, number: int) -> str:
    kept = {"page": str(number)} | ({"q": query} if query else {})
    return f"{SEARCH}?{urlencode(kept)}"


def _typed(learner: LearnerRead) -> dict[str, str]:
    """The record as the edit form shows it."""
    shown: dict[str, str] = {}
    for name in FIELDS:
        value = getattr(learner, name, "")
        if value is msgspec.UNSET or value is None:
            shown[name] = ""
        elif name == "qpv_resident":
            shown[name] = {True: "oui", False: "non"}.get(value, "")
        elif name == "languages":
            shown[name] = " ".join(value)
        elif hasattr(value, "isoformat"):
            shown[name] = value.isoformat()
        else:
            shown[name] = str(value)
    return shown


def _edit_page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    learner: LearnerRead,
    typed: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    context: dict[str, Any] = {
        "user": request.user,
        "learner": learner,
        "typed": typed,
        "errors": errors,
        "partners": partner_choices(runtime, learner),
        "genders": list(Gender),
        "levels": list(CefrLevel),
        "methods": list(LevelMethod),
        "qualifications": list(Qualification),
        "employments": list(EmploymentStatus),
        "refugee_statuses": list(RefugeeStatus),
        "action": f"{address(learner.id)}/modifier",
    }
    return Template("learners/edit.html", context=context, status_code=status_code)


class LearnerSearchController(Controller):
    """The search among the learners of the manager's sites, behind the sign-in."""

    path = SEARCH
    include_in_schema = False
    opt = access(page(listing(SITE_MANAGERS)))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def search(
        self,
        request: Request[Principal, str, object],
        typed: Annotated[str, QueryParameter(name="q", max_length=100)] = "",
        number: Annotated[int, QueryParameter(name="page", ge=1, le=MOST_PAGES)] = 1,
    ) -> Template | Redirect:
        """A page of the learners found, by last name."""
        user = request.user
        if user.role is Role.TRAINER:
            return Redirect(home_of(user), status_code=303)
        asked, errors = read_search(typed)
        items, total = [], 0
        if not errors:
            items, total = await learners.list_learners(
                user,
                name=asked.name,
                phone=asked.phone,
                birth_date=asked.birth_date,
                limit=PER_PAGE,
                offset=(number - 1) * PER_PAGE,
            )
        pages = min(MOST_PAGES, max(1, -(-total // PER_PAGE)))
        return Template(
            "learners/search.html",
            context={
                "user": user,
                "query": typed,
                "errors": errors,
                "items": items,
                "total": total,
                "number": number,
                "pages": pages,
                "previous": _page_link(typed, number - 1) if number > 1 else None,
                "next": _page_link(typed, number + 1) if number < pages else None,
            },
            status_code=422 if errors else 200,
        )


class LearnerPageController(Controller):
    """One learner's record and its edit form, behind the sign-in."""

    path = "/apprenants/{learner_id:int}"
    include_in_schema = False
    opt = access(page(SITE_MANAGERS))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        learner_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        done: Annotated[bool, QueryParameter(name=DONE)] = False,
    ) -> Template:
        """The learner's record."""
        return await learner_page(request, runtime, learner_id, done=done)

    @get("/modifier")
    async def edit(
        self,
        learner_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template:
        """The record in a form; an erased record is shown as it stands, saying why."""
        try:
            await learners.row_to_manage(request.user, learner_id)
        except learners.ErasedLearner:
            return await learner_page(request, runtime, learner_id, erased=True)
        learner = await learners.get_learner(request.user, learner_id, runtime.clock)
        return _edit_page(request, runtime, learner, _typed(learner), {})

    @post("/modifier", status_code=303)
    async def save(
        self,
        learner_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        """Change the record as the form asks; each refused value is shown in place."""
        try:
            await learners.row_to_manage(request.user, learner_id)
        except learners.ErasedLearner:
            return await learner_page(request, runtime, learner_id, erased=True)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        changes, errors = read_record(posted)
        if changes is not None:
            try:
                await learners.update_learner(
                    request.user, learner_id, changes, runtime.clock, runtime.sites
                )
            except InvalidField as refused:
                field = refused.field if refused.field in FIELDS else "first_name"
                errors[field] = messages()[field]
            else:
                return Redirect(f"{address(learner_id)}?{DONE}=1", status_code=303)
        learner = await learners.get_learner(request.user, learner_id, runtime.clock)
        return _edit_page(request, runtime, learner, posted, errors, status_code=422)
