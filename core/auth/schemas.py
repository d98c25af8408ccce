"""Request and response bodies of the auth API."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import msgspec

from core.auth.roles import Role
from core.db.limits import ID_MAX

Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class LoginRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """E-mail and password."""

    email: Email
    password: Password


class AccountRead(msgspec.Struct, kw_only=True):
    """A signed-in account and the scope of its role."""

    id: int
    email: str
    display_name: str
    role: Role
    sites: list[str]
    cohorts: list[int]


class TokenCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A label saying what script the token is for."""

    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenIssued(msgspec.Struct, kw_only=True):
    """A new API token; ``token`` is shown this once and never stored."""

    id: int
    label: str
    token: str


class TokenRead(msgspec.Struct, kw_only=True):
    """An API token, without its secret."""

    id: int
    label: str
    created_at: datetime
    revoked_at: datetime | None


class AccountStatus(enum.StrEnum):
    """Where an account stands: invited until its password is chosen, active, deactivated."""

    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class GrantedRole(enum.StrEnum):
    """The roles a site grants on its team page: a site manager grants them for their own
    sites only; admins for any site."""

    TRAINER = "trainer"
    SITE_MANAGER = "site_manager"


class TeamMember(msgspec.Struct, kw_only=True):
    """An account of a site's team, with its role, scope and status."""

    id: int
    display_name: str
    email: str
    role: Role
    status: AccountStatus
    sites: list[str]
    cohorts: list[int]
    created_at: datetime


class InvitationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A person invited to a site's team: a trainer (or volunteer) of some of the site's
    cohorts, or a manager of the site."""

    email: Email
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    role: GrantedRole
    cohorts: Annotated[
        list[Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]], msgspec.Meta(max_length=200)
    ] = msgspec.field(default_factory=list)
