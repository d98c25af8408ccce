"""A forgotten password: the reset link sent by e-mail to whoever asks for an address.

The asker is told the same thing whether the address has an account or not, and nothing
about the limit: an address gets at most ``throttle.RESET_LIMIT`` e-mails a window. The
e-mail goes through the mail settings of a site of the account's team, else of the first
site that has them (admins and the central team belong to no site).
"""

from __future__ import annotations

import structlog

from core.audit import service as audit
from core.audit.origin import current_origin
from core.auth import links, throttle
from core.auth.tables import Account, AccountCohort, AccountSite
from core.clock import Clock
from core.notifications.account_templates import AccountTemplate, password_reset
from core.notifications.accounts import notify_account
from core.sites.loader import SiteRegistry

log = structlog.get_logger(__name__)


async def _sender_site(account_id: int, sites: SiteRegistry) -> str | None:
    """The site whose mail settings write to the account."""
    own = {
        row["site"]
        for row in await AccountSite.select(AccountSite.site).where(
            AccountSite.account == account_id
        )
    } | {
        row["site"]
        for row in await AccountCohort.select(AccountCohort.cohort.site.as_alias("site")).where(
            AccountCohort.account == account_id
        )
    }
    loaded = sorted(sites, key=lambda site: (site.slug not in own, site.slug))
    with_mail = [site.slug for site in loaded if site.config.mail is not None]
    if with_mail:
        return with_mail[0]
    return loaded[0].slug if loaded else None


async def request_reset(email: str, *, sites: SiteRegistry, clock: Clock, link_base: str) -> None:
    """Send a reset link to the active account at ``email``, if there is one and the
    address is within its limit; returns nothing either way."""
    if not await throttle.reset_allowed(email, current_origin().source, clock):
        log.info("password_reset_limited")
        return
    row = (
        await Account.select(Account.id, Account.display_name)
        .where((Account.email == email.strip().lower()) & (Account.active == True))  # noqa: E712
        .first()
    )
    if row is None:
        return
    account_id = int(row["id"])
    site = await _sender_site(account_id, sites)
    if site is None:
        log.warning("password_reset_without_site", account_id=account_id)
        return
    async with Account._meta.db.transaction():
        secret = await links.issue(account_id, links.Purpose.RESET, clock)
        await notify_account(
            account_id,
            AccountTemplate.PASSWORD_RESET,
            password_reset(name=row["display_name"]),
            links.address(link_base, secret),
            site=site,
            clock=clock,
        )
        await audit.record(
            audit.SYSTEM_ACTOR, "account.reset_requested", "account", account_id, at=clock.now()
        )
