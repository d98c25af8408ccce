"""The site configuration page: a site's file as Essaim loaded it (programs, tracks, rooms,
partners, settings), read-only, with the problems of the file as it is now, for the site's
managers; admins see every site."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from core.auth.access import SITE_MANAGEMENT, access, page
from core.auth.roles import Principal
from core.runtime import Runtime
from core.sites.describe import COMMON_SETTINGS
from core.sites.review import managed_sites, review
from core.web.access import PAGE_ERRORS
from core.web.plain_words import plain

PATH = "/antenne/configuration"


def _programs(runtime: Runtime, settings: dict[str, object]) -> list[dict[str, object]]:
    """Each program the site runs: titles, the common settings, and its own as text."""
    shown = []
    for key, block in settings.items():
        program = runtime.host.program(key)
        titles = {t.key: t.title for t in program.tracks} if program else {}
        values = msgspec.to_builtins(block)
        shown.append(
            {
                "key": key,
                "title": program.title if program else key,
                "tracks": [titles.get(track, track) for track in values["tracks"]],
                "capacity": values["capacity"],
                "threshold": values["attendance_threshold"],
                "excused": values["excused_absences_count"],
                "own": {
                    name: ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                    for name, value in values.items()
                    if name not in COMMON_SETTINGS
                },
            }
        )
    return shown


class SiteConfigController(Controller):
    """The configuration of the sites one manages, behind the sign-in."""

    path = PATH
    include_in_schema = False
    opt = access(page(SITE_MANAGEMENT))
    exception_handlers = PAGE_ERRORS  # type: ignore[assignment]

    @get()
    async def show(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        slug: Annotated[str, QueryParameter(name="site", max_length=40)] = "",
    ) -> Template:
        """The chosen site (the first one managed by default) and the list to choose from."""
        sites = managed_sites(runtime, request.user)
        chosen = slug or (sites[0].slug if sites else "")
        found = review(runtime, request.user, chosen) if chosen else None
        return Template(
            "records/site_config.html",
            context={
                "user": request.user,
                "sites": sites,
                "review": found,
                "programs": _programs(runtime, dict(found.site.programs)) if found else [],
                "path": PATH,
                "plain": plain,
            },
        )
