"""Who reaches DIGITAL's certification records: core's scope and roles, applied the same way.

The central team sees aggregated figures only (403 on a learner's record); a record out of
the caller's scope is a 404, whether it exists or not; writing takes a manager of the site
(or an admin).
"""

from __future__ import annotations

from core.plugin.services import (
    EnrolmentContext,
    Forbidden,
    NotFound,
    Principal,
    check_learner_level,
    check_manages,
    program_enrolment,
)
from plugins.digital.curriculum import KEY


async def reading(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    """The DIGITAL enrolment, for a caller who may read its learner's record."""
    check_learner_level(principal)
    return await program_enrolment(principal, enrolment_id, KEY)


async def writing(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    """The DIGITAL enrolment, for a caller who manages its site."""
    context = await reading(principal, enrolment_id)
    check_manages(principal, context)
    return context


def site_for_reading(principal: Principal, site: str, what: str) -> None:
    """Forbidden for the central team, NotFound when ``site`` is out of the caller's scope."""
    check_learner_level(principal)
    if not principal.can_see_site(site):
        raise NotFound(f"no {what} at site {site!r}")


def site_for_writing(principal: Principal, site: str, what: str) -> None:
    """As ``site_for_reading``, and Forbidden unless the caller manages ``site``."""
    site_for_reading(principal, site, what)
    if not principal.can_manage_site(site):
        raise Forbidden(f"only the site's managers and admins record {what}s")
