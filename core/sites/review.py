"""A site file as Essaim loaded it, and what is wrong with it now, for the site managers who
run the site: each problem as the field it is at and what is wrong there.

The server starts only with valid files, so the loaded configuration is valid; the file on
disk may have been edited since, and is checked again as ``essaim sites check`` would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.auth.roles import Principal, Role
from core.errors import Forbidden, NotFound
from core.runtime import Runtime
from core.sites.loader import Site, check_file, file_hash, site_warnings

_AT = re.compile(r"^(?:[^:]*: )?(?P<problem>.*?)(?: - at `\$\.?(?P<field>[^`]*)`)?$", re.S)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One problem of a site file: the field it is at (empty for the whole file), what is
    wrong, and whether it stops the server (an error) or not (a warning)."""

    field: str
    problem: str
    stops: bool


@dataclass(frozen=True, slots=True)
class SiteReview:
    """A site as loaded, whether its file changed since, and the problems found."""

    site: Site
    changed: bool
    problems: list[FileProblem]


def _problem(line: str, *, stops: bool) -> FileProblem:
    found = _AT.match(line)
    assert found is not None  # the pattern matches any text
    return FileProblem(field=found["field"] or "", problem=found["problem"], stops=stops)


def managed_sites(runtime: Runtime, principal: Principal) -> list[Site]:
    """The sites whose files ``principal`` may read: every site for an admin, their own for
    a site manager; Forbidden for the central team and trainers."""
    if principal.role not in (Role.ADMIN, Role.SITE_MANAGER):
        raise Forbidden("only site managers and admins read the site files")
    return [site for site in runtime.sites if principal.can_manage_site(site.slug)]


def review(runtime: Runtime, principal: Principal, slug: str) -> SiteReview:
    """The site ``slug`` as loaded and its file's problems now; NotFound out of reach."""
    site = next((s for s in managed_sites(runtime, principal) if s.slug == slug), None)
    if site is None:
        raise NotFound(f"no site {slug!r}", field="site")
    changed = file_hash(site.path) != site.content_hash
    problems = [_problem(line, stops=True) for line in check_file(site.path, runtime.host)]
    problems += [_problem(line, stops=False) for line in site_warnings(site)]
    return SiteReview(site=site, changed=changed, problems=problems)
