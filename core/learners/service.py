"""Learner records, scoped to the caller's sites. The only module that touches the table."""

from __future__ import annotations

from typing import Any

from core.auth.roles import Principal, Role
from core.clock import Clock
from core.errors import Forbidden, NotFound
from core.learners.schemas import LearnerCreate, LearnerRead
from core.learners.tables import Learner

_COLUMNS = (
    Learner.id,
    Learner.site,
    Learner.first_name,
    Learner.last_name,
    Learner.gender,
    Learner.birth_date,
    Learner.email,
    Learner.phone,
    Learner.french_level,
)


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting learners to the caller's reach; None when it reaches none.

    The central team works on aggregates, never on learner records; trainers will
    see the learners of their cohorts once enrolments exist.
    """
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not learner records")
    if principal.role is Role.ADMIN:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Learner.site.is_in(sorted(principal.sites))]
    return None


async def list_learners(
    principal: Principal,
    *,
    site: str | None = None,
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[LearnerRead], int]:
    """A page of the learners the caller reaches, by last name, and their total."""
    scope = _scope(principal)
    if scope is None:
        return [], 0
    filters: list[Any] = list(scope)
    if site:
        filters.append(Learner.site == site)
    if name:
        pattern = f"%{name.replace('%', '').replace('_', '')}%"
        filters.append(Learner.last_name.ilike(pattern) | Learner.first_name.ilike(pattern))
    rows = (
        await Learner.select(*_COLUMNS)
        .where(*filters)
        .order_by(Learner.last_name, Learner.first_name, Learner.id)
        .limit(limit)
        .offset(offset)
    )
    total = await Learner.count().where(*filters)
    return [LearnerRead(**row) for row in rows], total


async def get_learner(principal: Principal, learner_id: int) -> LearnerRead:
    """One learner the caller reaches; another is not found, whether it exists or not."""
    scope = _scope(principal)
    row = None
    if scope is not None:
        row = await Learner.select(*_COLUMNS).where(Learner.id == learner_id, *scope).first()
    if row is None:
        raise NotFound(f"no learner {learner_id}")
    return LearnerRead(**row)


async def create_learner(
    principal: Principal, data: LearnerCreate, clock: Clock, known_sites: set[str]
) -> LearnerRead:
    """Record a learner at a site the caller manages."""
    if data.site not in known_sites or not principal.can_see_site(data.site):
        raise NotFound(f"no site {data.site!r}", field="site")
    if not principal.can_manage_site(data.site):
        raise Forbidden("only the site's managers and admins record learners")
    rows = await Learner.insert(
        Learner(
            site=data.site,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            gender=data.gender.value,
            birth_date=data.birth_date,
            email=data.email.strip().lower(),
            phone=data.phone.strip(),
            french_level=data.french_level.value if data.french_level else None,
            created_at=clock.now(),
        )
    ).returning(*_COLUMNS)
    return LearnerRead(**rows[0])
