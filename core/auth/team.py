"""A site's team: its accounts, inviting a person, deactivating and reactivating an account.

A site's team is its managers and the trainers of its cohorts. Its managers, and admins,
manage it; the central team may not (Forbidden); anyone else does not find the site's team
(NotFound, as for a site out of reach). A site manager grants only the roles of
``GrantedRole``, for their own sites; a trainer is invited for cohorts of the site. An
invited account has no password until it follows the link its e-mail carries
(``core.auth.links``). Every change is audited with ids and code words only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.audit import service as audit
from core.auth import links
from core.auth.roles import Principal, Role
from core.auth.schemas import AccountStatus, GrantedRole, InvitationCreate, TeamMember
from core.auth.service import insert_account
from core.auth.tables import Account, AccountCohort, AccountSite, Credential
from core.clock import Clock
from core.cohorts.service import cohort_sites
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.notifications.account_templates import AccountTemplate, invitation
from core.notifications.accounts import notify_account
from core.sites.loader import Site, SiteRegistry

_COLUMNS = (
    Account.id,
    Account.display_name,
    Account.email,
    Account.role,
    Account.active,
    Account.password_hash,
    Account.created_at,
)


def check_site(principal: Principal, slug: str, sites: SiteRegistry) -> None:
    """Forbidden for the central team, NotFound for a site the caller does not manage (or
    that does not exist)."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team does not manage a site's team")
    if sites.get(slug) is None or not principal.can_manage_site(slug):
        raise NotFound(f"no site {slug}")


def managed_sites(principal: Principal, sites: SiteRegistry) -> list[str]:
    """The sites whose team the caller manages, by slug (every site for admins)."""
    return sorted(site.slug for site in sites if principal.can_manage_site(site.slug))


def _status(row: dict[str, Any]) -> AccountStatus:
    if not row["active"]:
        return AccountStatus.DEACTIVATED
    return AccountStatus.ACTIVE if row["password_hash"] else AccountStatus.INVITED


async def _scopes(account_ids: Iterable[int]) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """The sites and cohorts of each account among ``account_ids``."""
    wanted = sorted(set(account_ids))
    sites: dict[int, list[str]] = {i: [] for i in wanted}
    cohorts: dict[int, list[int]] = {i: [] for i in wanted}
    if not wanted:
        return sites, cohorts
    for row in await AccountSite.select(AccountSite.account, AccountSite.site).where(
        AccountSite.account.is_in(wanted)
    ):
        sites[int(row["account"])].append(row["site"])
    for row in await AccountCohort.select(AccountCohort.account, AccountCohort.cohort).where(
        AccountCohort.account.is_in(wanted)
    ):
        cohorts[int(row["account"])].append(int(row["cohort"]))
    return sites, cohorts


async def _members(where: Any) -> list[TeamMember]:
    rows = await Account.select(*_COLUMNS).where(where).order_by(Account.display_name)
    sites, cohorts = await _scopes(int(row["id"]) for row in rows)
    return [
        TeamMember(
            id=int(row["id"]),
            display_name=row["display_name"],
            email=row["email"],
            role=Role(row["role"]),
            status=_status(row),
            sites=sorted(sites[int(row["id"])]),
            cohorts=sorted(cohorts[int(row["id"])]),
            created_at=row["created_at"],
        )
        for row in rows
    ]


def _team_ids(slug: str) -> Any:
    """A condition on Account: the managers of ``slug`` and the trainers of its cohorts."""
    managers = AccountSite.select(AccountSite.account).where(AccountSite.site == slug)
    trainers = AccountCohort.select(AccountCohort.account).where(AccountCohort.cohort.site == slug)
    return Account.id.is_in(managers) | Account.id.is_in(trainers)


async def team(principal: Principal, slug: str, sites: SiteRegistry) -> list[TeamMember]:
    """The accounts of the site's team, by name, with their role and status."""
    check_site(principal, slug, sites)
    return await _members(_team_ids(slug))


async def member(principal: Principal, account_id: int) -> TeamMember:
    """One account of a team the caller manages; another is not found."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team does not manage a site's team")
    found = await _members(Account.id == account_id)
    if not found or not _manages(principal, found[0], await cohort_sites(found[0].cohorts)):
        raise NotFound(f"no account {account_id}")
    return found[0]


def _manages(principal: Principal, account: TeamMember, cohorts: dict[int, str]) -> bool:
    """True when ``principal`` manages a site of ``account``'s team."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is not Role.SITE_MANAGER:
        return False
    return bool(principal.sites & (set(account.sites) | set(cohorts.values())))


async def _checked_scope(slug: str, data: InvitationCreate) -> tuple[list[str], list[int]]:
    """The sites and cohorts the invited account gets; InvalidField names what is wrong."""
    chosen = sorted(set(data.cohorts))
    if data.role is GrantedRole.SITE_MANAGER:
        if chosen:
            raise InvalidField("a site manager takes no cohort", field="cohorts")
        return [slug], []
    if not chosen:
        raise InvalidField("choose at least one cohort of the site", field="cohorts")
    found = await cohort_sites(chosen)
    elsewhere = [cohort for cohort in chosen if found.get(cohort) != slug]
    if elsewhere:
        raise InvalidField(f"cohort {elsewhere[0]} is not a cohort of the site", field="cohorts")
    return [], chosen


async def invite(
    principal: Principal,
    slug: str,
    data: InvitationCreate,
    *,
    sites: SiteRegistry,
    clock: Clock,
    link_base: str,
) -> TeamMember:
    """Create the invited account and queue its invitation, through ``slug``'s mail
    settings, with a link under ``link_base`` (audited). Conflict when the address already
    has an account."""
    check_site(principal, slug, sites)
    site = sites.get(slug)
    assert site is not None
    role = Role(data.role.value)
    account_sites, cohorts = await _checked_scope(slug, data)
    async with Account._meta.db.transaction():
        account_id = await insert_account(
            email=data.email,
            display_name=data.display_name.strip(),
            password_hash="",
            role=role,
            sites=account_sites,
            cohorts=cohorts,
        )
        await _send_invitation(
            account_id, data.display_name, role, site, clock=clock, link_base=link_base
        )
        await audit.record(
            principal.account_id,
            "account.invited",
            "account",
            account_id,
            at=clock.now(),
            details={"role": role.value, "cohorts": cohorts},
        )
    return (await _members(Account.id == account_id))[0]


async def _send_invitation(
    account_id: int, name: str, role: Role, site: Site, *, clock: Clock, link_base: str
) -> None:
    """A new invitation link for the account, e-mailed through ``site``'s mail settings
    (the earlier link stops working). Joins the caller's transaction."""
    secret = await links.issue(account_id, links.Purpose.INVITATION, clock)
    rendered = invitation(
        name=name,
        site_name=site.config.name,
        role=role.value,
        expires_at=clock.now() + links.LIFETIME[links.Purpose.INVITATION],
        timezone=site.config.timezone,
    )
    await notify_account(
        account_id,
        AccountTemplate.INVITATION,
        rendered,
        links.address(link_base, secret),
        site=site.slug,
        clock=clock,
    )


async def resend_invitation(
    principal: Principal,
    account_id: int,
    *,
    sites: SiteRegistry,
    clock: Clock,
    link_base: str,
) -> TeamMember:
    """Send an invited account a new link (the last one expired, or its e-mail was lost),
    through the mail settings of one of its sites the caller manages (audited). Conflict
    once the account has chosen its password, or is deactivated."""
    account = await member(principal, account_id)
    if account.status is not AccountStatus.INVITED:
        raise Conflict("only an account still invited gets its invitation again", field="account")
    cohorts = await cohort_sites(account.cohorts)
    own = sorted(set(account.sites) | set(cohorts.values()))
    site = next((sites.get(s) for s in own if principal.can_manage_site(s) and sites.get(s)), None)
    if site is None:
        raise NotFound(f"no account {account_id}")
    async with Account._meta.db.transaction():
        await _send_invitation(
            account_id, account.display_name, account.role, site, clock=clock, link_base=link_base
        )
        await audit.record(
            principal.account_id, "account.invitation_resent", "account", account_id, at=clock.now()
        )
    return account


async def set_active(
    principal: Principal, account_id: int, active: bool, clock: Clock
) -> TeamMember:
    """Deactivate (``active`` False) or reactivate an account of a team the caller manages
    (audited). Deactivating revokes at once its sessions, API tokens and unused links; it
    can no longer sign in. Nobody deactivates their own account (Conflict)."""
    account = await member(principal, account_id)
    if account_id == principal.account_id:
        raise Conflict("you cannot deactivate or reactivate your own account", field="account")
    if (account.status is not AccountStatus.DEACTIVATED) == active:
        return account
    now = clock.now()
    async with Account._meta.db.transaction():
        await Account.update({Account.active: active}).where(Account.id == account_id)
        if not active:
            await Credential.update({Credential.revoked_at: now}).where(
                (Credential.account == account_id) & Credential.revoked_at.is_null()
            )
            await links.withdraw(account_id, clock)
        await audit.record(
            principal.account_id,
            "account.reactivated" if active else "account.deactivated",
            "account",
            account_id,
            at=now,
        )
    return (await _members(Account.id == account_id))[0]
