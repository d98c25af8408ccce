"""An enrolment with its cohort's site, program and track, and who may do what with it.

Shared by the services that work on one learner's place in a cohort (assessments,
completion, outcomes) and by plugins' routes through ``core.plugin.services``.
"""

from __future__ import annotations

import msgspec

from core.auth.roles import Principal, Role
from core.enrolment.tables import Enrolment
from core.errors import Forbidden, NotFound


class EnrolmentContext(msgspec.Struct, frozen=True, kw_only=True):
    """An enrolment and where it belongs: ids and codes only, no personal data."""

    id: int
    learner: int
    cohort: int
    application: int
    status: str
    site: str
    program: str
    track: str

    def trained_by(self, principal: Principal) -> bool:
        """True when ``principal`` is a trainer of the enrolment's cohort."""
        return principal.role is Role.TRAINER and self.cohort in principal.cohorts


async def enrolment_context(principal: Principal, enrolment_id: int) -> EnrolmentContext:
    """The enrolment, when the caller reaches its site or trains its cohort; NotFound
    otherwise, whether it exists or not."""
    row = (
        await Enrolment.select(
            Enrolment.id,
            Enrolment.learner,
            Enrolment.cohort,
            Enrolment.application,
            Enrolment.status,
            Enrolment.cohort.site.as_alias("site"),
            Enrolment.cohort.program.as_alias("program"),
            Enrolment.cohort.track.as_alias("track"),
        )
        .where(Enrolment.id == enrolment_id)
        .first()
    )
    context = None if row is None else EnrolmentContext(**row)
    if context is None or not (
        principal.can_see_site(context.site) or context.trained_by(principal)
    ):
        raise NotFound(f"no enrolment {enrolment_id}")
    return context


def check_learner_level(principal: Principal) -> None:
    """Forbidden for the central team, which sees aggregated figures only."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not a learner's record")


def check_trains_or_manages(principal: Principal, context: EnrolmentContext) -> None:
    """Forbidden unless the caller trains the cohort or manages its site."""
    if not (context.trained_by(principal) or principal.can_manage_site(context.site)):
        raise Forbidden("only the cohort's trainers and the site's managers record this")


def check_manages(principal: Principal, context: EnrolmentContext) -> None:
    """Forbidden unless the caller manages the enrolment's site (or is an admin)."""
    if not principal.can_manage_site(context.site):
        raise Forbidden("only the site's managers and admins decide this")
