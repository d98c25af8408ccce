"""The team page of a site (``/antenne/equipe``): its accounts with role and status, the
invitation form, and deactivating or reactivating an account, through the services the API
uses (``core.auth.team``)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from core.auth import links, team
from core.auth.access import SITE_MANAGERS, access, listing, page
from core.auth.roles import Principal, Role
from core.auth.team_api import link_base
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortStatus
from core.db.limits import ID_MAX
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.runtime import Runtime
from core.web.access import PAGE_ERRORS, home_of
from core.web.i18n import gettext as _
from core.web.team_forms import ACTIONS, RESEND, invitation_refused, read_invitation

PATH = "/antenne/equipe"
SITE = "antenne"
DONE = "fait"
"""The query that confirms a change: ``invitation``, or the action done."""
MOST_COHORTS = 100
CURRENT = (CohortStatus.PLANNED, CohortStatus.OPEN, CohortStatus.RUNNING)
"""The cohorts an invitation offers: those not finished or cancelled."""


def address(slug: str, done: str | None = None) -> str:
    """The team page of ``slug``, confirming ``done``."""
    query = {SITE: slug} | ({DONE: done} if done else {})
    return f"{PATH}?{urlencode(query)}"


def _chosen_site(user: Principal, runtime: Runtime, slug: str | None) -> str:
    """The site the page shows: the one asked for, else the first the caller manages."""
    if user.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team does not manage a site's team")
    if slug:
        return slug
    managed = team.managed_sites(user, runtime.sites)
    if not managed:
        raise NotFound("no site to manage")
    return managed[0]


async def team_page(
    request: Request[Principal, str, object],
    runtime: Runtime,
    slug: str,
    *,
    done: str | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    """The team page of ``slug`` (NotFound out of the caller's reach)."""
    user = request.user
    members = await team.team(user, slug, runtime.sites)
    site = runtime.sites.get(slug)
    assert site is not None
    found, _total = await cohorts.list_cohorts(user, site=slug, limit=MOST_COHORTS)
    names = {cohort.id: cohort.title for cohort in found}
    return Template(
        "team/team.html",
        context={
            "user": user,
            "site": site.config,
            "sites": sorted(
                (other.slug, other.config.name)
                for other in runtime.sites
                if user.can_manage_site(other.slug)
            ),
            "members": members,
            "cohorts": [cohort for cohort in found if cohort.status in CURRENT],
            "cohort_names": names,
            "done": done,
            "errors": errors or {},
            "typed": typed or {},
            "days": links.LIFETIME[links.Purpose.INVITATION].days,
        },
        status_code=status_code,
    )


class TeamPageController(Controller):
    """A site's team, behind the sign-in."""

    path = PATH
    include_in_schema = False
    opt = access(page(SITE_MANAGERS))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get(opt=access(page(listing(SITE_MANAGERS))))
    async def show(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        slug: Annotated[str | None, QueryParameter(name=SITE, max_length=40)] = None,
        done: Annotated[
            str | None,
            QueryParameter(name=DONE, pattern=r"^(invitation|desactiver|reactiver|renvoyer)$"),
        ] = None,
    ) -> Template | Redirect:
        """The accounts of the site with their role and status, and the invitation form."""
        user = request.user
        if user.role is Role.TRAINER:
            return Redirect(home_of(user), status_code=303)
        return await team_page(request, runtime, _chosen_site(user, runtime, slug), done=done)

    @post(status_code=303)
    async def invite(
        self, request: Request[Principal, str, object], runtime: NamedDependency[Runtime]
    ) -> Response:
        """Invite the person the form names; a refusal shows its reason in place."""
        form = await request.form()
        posted = {key: str(value) for key, value in form.items()}
        slug = _chosen_site(request.user, runtime, posted.get(SITE))
        team.check_site(request.user, slug, runtime.sites)
        chosen = [str(value) for value in form.getall("promotions", [])]
        data, errors = read_invitation(posted, chosen)
        if data is not None:
            try:
                await team.invite(
                    request.user,
                    slug,
                    data,
                    sites=runtime.sites,
                    clock=runtime.clock,
                    link_base=link_base(request, runtime),
                )
            except (Conflict, InvalidField) as refused:
                errors = invitation_refused(refused)
            else:
                return Redirect(address(slug, "invitation"), status_code=303)
        typed: dict[str, Any] = posted | {"promotions": chosen}
        return await team_page(request, runtime, slug, errors=errors, typed=typed, status_code=422)

    @post("/{account_id:int}", status_code=303)
    async def change(
        self,
        account_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> Response:
        """Deactivate or reactivate the account, or send its invitation again, then back to
        the team page; a change no longer possible is said in place."""
        await team.member(request.user, account_id)
        posted = {key: str(value) for key, value in (await request.form()).items()}
        asked = posted.get(SITE, "")
        slug = asked if asked and request.user.can_manage_site(asked) else None
        slug = _chosen_site(request.user, runtime, slug)
        action = posted.get("action", "")
        try:
            if action == RESEND:
                await team.resend_invitation(
                    request.user,
                    account_id,
                    sites=runtime.sites,
                    clock=runtime.clock,
                    link_base=link_base(request, runtime),
                )
            elif action in ACTIONS:
                await team.set_active(request.user, account_id, ACTIONS[action], runtime.clock)
            else:
                raise Conflict(f"no action {action!r}")
        except Conflict:
            errors = {
                f"compte-{account_id}": _(
                    "This change is not possible: reload the page and try again."
                )
            }
            return await team_page(request, runtime, slug, errors=errors, status_code=422)
        return Redirect(address(slug, action), status_code=303)
