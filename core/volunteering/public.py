"""Volunteers who sign up on the public page: the one entry point that records them.

It acts as the public form's principal (``core.auth.service.public_form_principal``) and calls
the services a site manager's request calls, so that the same checks and the audit trail
apply. The volunteer is pending, and inactive, until a site manager accepts them
(``service.update_volunteer`` with ``active``); their weekly availability is kept as windows.
"""

from __future__ import annotations

import msgspec
import structlog

from core.auth.service import public_form_principal
from core.errors import NotFound
from core.learners.schemas import Email, Name, PartnerKey, Phone
from core.runtime import Runtime
from core.scheduling.schemas import AvailabilityInput, WindowInput
from core.volunteering import service
from core.volunteering.schemas import SiteSlug, Skill, VolunteerCreate
from core.volunteering.tables import Volunteer

log = structlog.get_logger(__name__)


class PublicVolunteer(msgspec.Struct, frozen=True, kw_only=True):
    """What a person signing up sends: the site, who they are, how to reach them, their
    skills, when they are free, and the company that lends them, if one does."""

    site: SiteSlug
    first_name: Name
    last_name: Name
    phone: Phone = ""
    email: Email = ""
    skills: tuple[Skill, ...] = ()
    partner: PartnerKey | None = None
    windows: tuple[WindowInput, ...] = ()


def lending_partners(runtime: Runtime, site_slug: str) -> dict[str, str]:
    """The companies that lend volunteers at a site, by partner key, with their names."""
    site = runtime.sites.get(site_slug)
    if site is None:
        return {}
    return {
        partner.key: partner.name
        for partner in site.config.partners
        if service.LENDING_KINDS & set(partner.kinds)
    }


async def sign_up(runtime: Runtime, data: PublicVolunteer) -> int:
    """Record a pending volunteer at the site, with their availability; returns their id.

    NotFound (field ``site``) for a site that is not loaded; the volunteer service's own
    refusals otherwise (a partner that lends no volunteers, a phone number too short).
    """
    if runtime.sites.get(data.site) is None:
        raise NotFound(f"no site {data.site!r}", field="site")
    principal = await public_form_principal(data.site)
    create = VolunteerCreate(
        site=data.site,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        phone=data.phone,
        skills=list(data.skills),
        partner=data.partner,
    )
    async with Volunteer._meta.db.transaction():
        volunteer = await service.create_volunteer(runtime, principal, create, pending=True)
        if data.windows:
            await service.set_volunteer_availability(
                runtime, principal, volunteer.id, AvailabilityInput(windows=list(data.windows))
            )
    log.info("public_volunteer_signed_up", volunteer_id=volunteer.id, site=data.site)
    return volunteer.id
