"""Roles and the principal that every service call is scoped by."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a signed-in person may do."""

    ADMIN = "admin"
    CENTRAL_VIEWER = "central_viewer"
    SITE_MANAGER = "site_manager"
    TRAINER = "trainer"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, and the sites and cohorts their role reaches."""

    account_id: int
    email: str
    display_name: str
    role: Role
    sites: frozenset[str] = frozenset()
    cohorts: frozenset[int] = frozenset()

    @property
    def sees_every_site(self) -> bool:
        """Admins and the central team see every site."""
        return self.role in (Role.ADMIN, Role.CENTRAL_VIEWER)

    def can_see_site(self, slug: str) -> bool:
        """True when ``slug`` is within the caller's reach."""
        return self.sees_every_site or slug in self.sites

    def can_manage_site(self, slug: str) -> bool:
        """True for admins and for the managers of ``slug``."""
        return self.role is Role.ADMIN or (self.role is Role.SITE_MANAGER and slug in self.sites)
