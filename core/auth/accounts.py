"""What other domains may ask about an account, without importing the auth service (which
itself needs cohorts)."""

from __future__ import annotations

from collections.abc import Iterable

from core.auth.roles import Role
from core.auth.tables import Account, AccountCohort


async def account_role(account_id: int) -> Role | None:
    """The role of an active account, or None when there is no such active account."""
    row = (
        await Account.select(Account.role)
        .where(Account.id == account_id, Account.active.eq(True))
        .first()
    )
    return Role(row["role"]) if row else None


async def display_name(account_id: int) -> str | None:
    """The name an account shows (a trainer's on an attendance sheet), or None."""
    row = await Account.select(Account.display_name).where(Account.id == account_id).first()
    return row["display_name"] if row else None


async def assigned_to_a_cohort_at(account_id: int, sites: Iterable[str]) -> bool:
    """True when the account is a trainer assigned to a cohort at one of ``sites``."""
    wanted = sorted(set(sites))
    if not wanted:
        return False
    return await AccountCohort.exists().where(
        AccountCohort.account == account_id, AccountCohort.cohort.site.is_in(wanted)
    )


async def address_of(account_id: int) -> str | None:
    """The e-mail address of an active account (where its invitation or reset goes), or None."""
    row = (
        await Account.select(Account.email)
        .where(Account.id == account_id, Account.active.eq(True))
        .first()
    )
    return row["email"] if row else None
