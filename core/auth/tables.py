"""Accounts, their scopes and their credentials. Only ``core.auth`` services touch them."""

from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.cohorts.tables import Cohort


class Account(Table):
    """A person who signs in: staff or volunteer, never a learner."""

    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    role = Varchar(length=20)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class AccountSite(Table):
    """A site a site manager is scoped to."""

    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    site = Varchar(length=40)


class AccountCohort(Table):
    """A cohort a trainer is scoped to."""

    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    cohort = ForeignKey(references=Cohort, null=False, on_delete=OnDelete.restrict, index=True)


class Credential(Table):
    """A login session or an API token: only the SHA-256 of its secret is stored."""

    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10)
    token_hash = Varchar(length=64, unique=True)
    label = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class AccountLink(Table):
    """A single-use link sent by e-mail to set a password (an invitation, a reset): only the
    SHA-256 of its secret is stored (``core.auth.links``)."""

    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=12)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LoginFailure(Table):
    """A failed sign-in, or a password reset asked for, kept for the throttle's window
    (``core.auth.throttle``): the key is a digest of the e-mail address typed, or the client's
    address; never the password."""

    key = Varchar(length=80, index=True)
    at = Timestamptz()
