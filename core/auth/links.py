"""Single-use links that let a person choose a password: an invitation, a reset.

Only the SHA-256 of a link's secret is stored. A link works once, until it expires, for an
active account; using it sets the password, revokes every login session of the account (a
reset is what one does when someone else may know the old password) and opens none: the
page that used it opens the new session.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from core.audit import service as audit
from core.auth import throttle
from core.auth.hashing import digest, hash_password, new_secret
from core.auth.service import SESSION
from core.auth.tables import Account, AccountLink, Credential
from core.clock import Clock
from core.errors import Conflict, InvalidField

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class Purpose(enum.StrEnum):
    """Why a link was sent, and so how long it lasts."""

    INVITATION = "invitation"
    RESET = "reset"


PATH = "/mot-de-passe/"
"""Where a link's page lives; the secret follows."""
LIFETIME = {Purpose.INVITATION: timedelta(days=7), Purpose.RESET: timedelta(hours=1)}


class InvalidLink(Conflict):
    """The link is unknown, used, expired, or its account deactivated: all answer alike."""

    def __init__(self) -> None:
        super().__init__("this link is no longer valid")


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """A valid link: whose, and why."""

    account_id: int
    purpose: Purpose
    display_name: str


def address(base: str, secret: str) -> str:
    """The address of a link's page at ``base`` (``https://essaim.example.org``)."""
    return base.rstrip("/") + PATH + secret


async def issue(account_id: int, purpose: Purpose, clock: Clock) -> str:
    """A new link for the account; earlier unused links of the same purpose stop working.
    Returns the secret, which only the e-mail carries. Joins the caller's transaction."""
    now = clock.now()
    await AccountLink.update({AccountLink.used_at: now}).where(
        (AccountLink.account == account_id)
        & (AccountLink.purpose == purpose.value)
        & AccountLink.used_at.is_null()
    )
    secret = new_secret()
    await AccountLink.insert(
        AccountLink(
            account=account_id,
            purpose=purpose.value,
            token_hash=digest(secret),
            created_at=now,
            expires_at=now + LIFETIME[purpose],
        )
    )
    return secret


async def find(secret: str, clock: Clock) -> LinkInfo:
    """The link behind ``secret`` while it works; InvalidLink otherwise."""
    row = (
        await AccountLink.select(
            AccountLink.account.id.as_alias("account_id"),
            AccountLink.purpose,
            AccountLink.account.display_name.as_alias("display_name"),
        )
        .where(
            (AccountLink.token_hash == digest(secret))
            & AccountLink.used_at.is_null()
            & (AccountLink.expires_at > clock.now())
            & (AccountLink.account.active == True)  # noqa: E712
        )
        .first()
    )
    if row is None:
        raise InvalidLink()
    return LinkInfo(
        account_id=int(row["account_id"]),
        purpose=Purpose(row["purpose"]),
        display_name=row["display_name"],
    )


def check_password(password: str, confirmation: str) -> None:
    """InvalidField naming the field when the new password breaks the minimum rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidField(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidField(
            f"the password has at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    if not password.strip():
        raise InvalidField("the password cannot be only spaces", field="password")
    if password != confirmation:
        raise InvalidField("the two passwords differ", field="confirmation")


async def use(secret: str, password: str, confirmation: str, clock: Clock) -> LinkInfo:
    """Set the account's password through the link, once: the link is spent, every login
    session of the account revoked, its failed sign-ins forgotten (audited). InvalidField
    for a password that breaks the rules (the link still works); InvalidLink when it does
    not."""
    check_password(password, confirmation)
    link = await find(secret, clock)
    now = clock.now()
    hashed = hash_password(password)
    async with AccountLink._meta.db.transaction():
        spent = (
            await AccountLink.update({AccountLink.used_at: now})
            .where(
                (AccountLink.token_hash == digest(secret))
                & AccountLink.used_at.is_null()
                & (AccountLink.expires_at > now)
            )
            .returning(AccountLink.id)
        )
        if not spent:
            raise InvalidLink()
        rows = (
            await Account.update({Account.password_hash: hashed})
            .where((Account.id == link.account_id) & (Account.active == True))  # noqa: E712
            .returning(Account.email)
        )
        if not rows:
            raise InvalidLink()
        await Credential.update({Credential.revoked_at: now}).where(
            (Credential.account == link.account_id)
            & (Credential.kind == SESSION)
            & Credential.revoked_at.is_null()
        )
        await audit.record(
            link.account_id,
            "account.password_set",
            "account",
            link.account_id,
            at=now,
            details={"via": link.purpose.value},
        )
    await throttle.succeeded(rows[0]["email"])
    return link


async def withdraw(account_id: int, clock: Clock) -> None:
    """Spend every unused link of the account (it was deactivated). Joins the transaction."""
    await AccountLink.update({AccountLink.used_at: clock.now()}).where(
        (AccountLink.account == account_id) & AccountLink.used_at.is_null()
    )
