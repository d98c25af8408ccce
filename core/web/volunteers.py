"""The site manager's volunteers: those who signed up on the public page, to accept, and the
site's active and former volunteers, to deactivate or bring back, through the service the
API uses (``core.volunteering.service``)."""

from __future__ import annotations

import enum
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth.access import SITE_VOLUNTEERS, access, listing, page
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.runtime import Runtime
from core.volunteering import service
from core.volunteering.schemas import VolunteerUpdate
from core.web.access import PAGE_ERRORS

LIST = "/antenne/benevoles"
PER_PAGE = 20
Id = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


class Shown(enum.StrEnum):
    """Which volunteers the list shows (its ``liste`` query); by name, the keys of
    ``service.count_volunteers``."""

    PENDING = "a-accepter"
    ACTIVE = "actifs"
    FORMER = "inactifs"


class Action(enum.StrEnum):
    """What the manager does to one volunteer: accept a sign-up or bring someone back (both
    make them active), or deactivate them."""

    ACCEPT = "accepter"
    DEACTIVATE = "desactiver"
    REACTIVATE = "reactiver"


_FILTERS = {
    Shown.PENDING: {"pending": True},
    Shown.ACTIVE: {"active": True},
    Shown.FORMER: {"active": False, "pending": False},
}


def _link(shown: Shown, number: int = 1, **extra: str) -> str:
    return f"{LIST}?{urlencode({'liste': shown.value, 'page': str(number), **extra})}"


class VolunteerPageController(Controller):
    """The volunteers of the manager's sites, behind the sign-in."""

    path = LIST
    include_in_schema = False
    opt = access(page(SITE_VOLUNTEERS))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get(opt=access(page(listing(SITE_VOLUNTEERS))))
    async def show(
        self,
        request: Request[Principal, str, object],
        shown: Annotated[Shown, QueryParameter(name="liste")] = Shown.PENDING,
        number: Annotated[int, QueryParameter(name="page", ge=1, le=ID_MAX)] = 1,
        done: Annotated[Action | None, QueryParameter(name="fait")] = None,
    ) -> Template:
        """A page of one list: the sign-ups to accept first."""
        user = request.user
        volunteers, total = await service.list_volunteers(
            user, **_FILTERS[shown], limit=PER_PAGE, offset=(number - 1) * PER_PAGE
        )
        counts = await service.count_volunteers(user)
        pages = max(1, -(-total // PER_PAGE))
        return Template(
            "volunteers/list.html",
            context={
                "user": user,
                "shown": shown,
                "lists": [(other, _link(other), counts[other.name.lower()]) for other in Shown],
                "volunteers": volunteers,
                "total": total,
                "number": number,
                "pages": pages,
                "previous": _link(shown, number - 1) if number > 1 else None,
                "next": _link(shown, number + 1) if number < pages else None,
                "done": done,
                "actions": Action,
            },
        )

    @post("/{volunteer_id:int}", status_code=303)
    async def change(
        self,
        volunteer_id: Id,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        shown: Annotated[Shown, QueryParameter(name="liste")] = Shown.PENDING,
    ) -> Redirect:
        """Accept, deactivate or bring back one volunteer; back to the list, confirmed."""
        posted = await request.form()
        try:
            action = Action(str(posted.get("action", "")))
        except ValueError:
            return Redirect(_link(shown), status_code=303)
        await service.update_volunteer(
            runtime,
            request.user,
            volunteer_id,
            VolunteerUpdate(active=action is not Action.DEACTIVATE),
        )
        return Redirect(_link(shown, fait=action.value), status_code=303)
