"""The sites API: what each site runs, read from its validated file. Public: no personal data."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import PathParameter

from core.auth.access import EVERYONE, access
from core.errors import NotFound
from core.runtime import Runtime
from core.sites.loader import Site
from core.sites.schema import SiteStatus


class SiteProgramRead(msgspec.Struct, kw_only=True):
    """A program as one site runs it."""

    key: str
    title: str
    tracks: list[str]
    capacity: int


class SiteRead(msgspec.Struct, kw_only=True):
    """A site's public description."""

    slug: str
    name: str
    status: SiteStatus
    department: str
    timezone: str
    address: str
    accepts_applications: bool
    programs: list[SiteProgramRead]


def site_read(site: Site, runtime: Runtime) -> SiteRead:
    """The public view of a site."""
    programs = []
    for key, settings in site.programs.items():
        program = runtime.host.program(key)
        programs.append(
            SiteProgramRead(
                key=key,
                title=program.title if program else key,
                tracks=list(settings.tracks),
                capacity=settings.capacity,
            )
        )
    return SiteRead(
        slug=site.slug,
        name=site.config.name,
        status=site.config.status,
        department=site.config.department,
        timezone=site.config.timezone,
        address=site.config.address,
        accepts_applications=site.accepts_applications,
        programs=programs,
    )


class SiteController(Controller):
    """Sites and the programs they run."""

    opt = access(EVERYONE)

    path = "/api/v1/sites"
    tags = ["sites"]

    @get("/", operation_id="listSites")
    async def list_sites(self, runtime: NamedDependency[Runtime]) -> list[SiteRead]:
        """Every site, by slug."""
        return [site_read(site, runtime) for site in runtime.sites]

    @get("/{slug:str}", operation_id="getSite")
    async def get_site(
        self,
        slug: Annotated[str, PathParameter(max_length=40)],
        runtime: NamedDependency[Runtime],
    ) -> SiteRead:
        """One site."""
        site = runtime.sites.get(slug)
        if site is None:
            raise NotFound(f"no site {slug!r}")
        return site_read(site, runtime)
