"""Accounts, login sessions and API tokens. The only module that touches the auth tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from core.audit import service as audit
from core.audit.origin import current_origin
from core.auth import throttle
from core.auth.hashing import digest, hash_password, new_secret, verify_password
from core.auth.roles import Principal, Role
from core.auth.tables import Account, AccountCohort, AccountSite, Credential
from core.clock import Clock
from core.cohorts.service import existing_cohort_ids
from core.db.instants import as_utc
from core.errors import Conflict, Forbidden, InvalidField, NotFound

SESSION = "session"
API_TOKEN = "api"
MIN_PASSWORD_LENGTH = 10


async def create_account(
    *,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    sites: Iterable[str] = (),
    cohorts: Iterable[int] = (),
    known_sites: Iterable[str] = (),
) -> int:
    """Create an account with its scope; returns its id.

    Site managers need at least one site, trainers at least one cohort; the
    other roles reach everything and take no scope.
    """
    email = email.strip().lower()
    sites, cohorts = sorted(set(sites)), sorted(set(cohorts))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidField(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    unknown = [site for site in sites if site not in set(known_sites)]
    if unknown:
        raise InvalidField(f"unknown site {unknown[0]!r}", field="sites")
    if role is Role.SITE_MANAGER and not sites:
        raise InvalidField("a site manager needs at least one site", field="sites")
    if role is Role.TRAINER and not cohorts:
        raise InvalidField("a trainer needs at least one cohort", field="cohorts")
    if role is not Role.SITE_MANAGER and sites:
        raise InvalidField(f"the role {role} takes no site", field="sites")
    if role is not Role.TRAINER and cohorts:
        raise InvalidField(f"the role {role} takes no cohort", field="cohorts")
    missing = sorted(set(cohorts) - await existing_cohort_ids(cohorts))
    if missing:
        raise InvalidField(f"unknown cohort {missing[0]}", field="cohorts")
    async with Account._meta.db.transaction():
        return await insert_account(
            email=email,
            display_name=display_name,
            password_hash=hash_password(password),
            role=role,
            sites=sites,
            cohorts=cohorts,
        )


async def insert_account(
    *,
    email: str,
    display_name: str,
    password_hash: str,
    role: Role,
    sites: list[str],
    cohorts: list[int],
) -> int:
    """Store an account checked by its caller, with its scope; an empty ``password_hash``
    is an invited account that cannot sign in yet. Conflict when the address is taken.
    Joins the caller's transaction; returns the account's id."""
    email = email.strip().lower()
    if await Account.exists().where(Account.email == email):
        raise Conflict(f"an account already uses {email}", field="email")
    account = Account(
        email=email, display_name=display_name, password_hash=password_hash, role=role.value
    )
    await account.save()
    if sites:
        await AccountSite.insert(*(AccountSite(account=account.id, site=s) for s in sites))
    if cohorts:
        await AccountCohort.insert(*(AccountCohort(account=account.id, cohort=c) for c in cohorts))
    return int(account.id)


async def authenticate(email: str, password: str) -> int | None:
    """The id of the active account whose password matches, else None."""
    row = (
        await Account.select(Account.id, Account.password_hash)
        .where((Account.email == email.strip().lower()) & (Account.active == True))  # noqa: E712
        .first()
    )
    if not verify_password(row["password_hash"] if row else None, password):
        return None
    return int(row["id"]) if row else None


async def sign_in(email: str, password: str, clock: Clock) -> Principal | None:
    """The principal of the active account whose password matches, or None; throttled
    (``core.auth.throttle``): TooManyAttempts while the e-mail or the client's address (the
    request's origin) must wait."""
    source = current_origin().source
    await throttle.check(email, source, clock)
    account_id = await authenticate(email, password)
    principal = await principal_of(account_id) if account_id else None
    if principal is None:
        await throttle.failed(email, source, clock)
        return None
    await throttle.succeeded(email)
    return principal


async def open_session(account_id: int, clock: Clock, days: int) -> str:
    """A new login session for the account; returns the secret for the cookie."""
    secret = new_secret()
    await Credential.insert(
        Credential(
            account=account_id,
            kind=SESSION,
            token_hash=digest(secret),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(days=days),
        )
    )
    return secret


async def issue_api_token(account_id: int, label: str, clock: Clock) -> tuple[int, str]:
    """A new API token for the account; returns its id and the secret, shown once."""
    secret = new_secret()
    rows = await Credential.insert(
        Credential(
            account=account_id,
            kind=API_TOKEN,
            token_hash=digest(secret),
            label=label,
            created_at=clock.now(),
        )
    ).returning(Credential.id)
    return int(rows[0]["id"]), secret


_PRINCIPAL = (
    "SELECT a.id AS account_id, a.email AS email, a.display_name AS display_name, "
    "a.role AS role, a.active AS active, s.site AS site, k.cohort AS cohort{columns} "
    "FROM {accounts} "
    f"LEFT JOIN account_site s ON s.account = a.id AND a.role = '{Role.SITE_MANAGER}' "
    f"LEFT JOIN account_cohort k ON k.account = a.id AND a.role = '{Role.TRAINER}' "
    "WHERE {where}"
)
"""An account with its scope, one row per site or cohort (one row for a role without):
every authenticated request reads it, in one round trip."""


async def principal_for(secret: str, kind: str, clock: Clock) -> Principal | None:
    """The principal a live, unrevoked secret of ``kind`` belongs to, else None: one query
    for the credential, its account and the account's scope. It runs on every
    authenticated request."""
    rows = await Credential.raw(
        _PRINCIPAL.format(
            columns=", c.expires_at AS expires_at, c.revoked_at AS revoked_at",
            accounts="credential c JOIN account a ON a.id = c.account",
            where="c.token_hash = {} AND c.kind = {}",
        ),
        digest(secret),
        kind,
    )
    if not rows or rows[0]["revoked_at"] is not None:
        return None
    expires_at = rows[0]["expires_at"]
    if expires_at is not None and as_utc(expires_at) <= clock.now():
        return None
    return _principal(rows)


async def principal_of(account_id: int) -> Principal | None:
    """The principal of an active account, with its site and cohort scope."""
    return await _active_principal("id", account_id)


async def principal_by_email(email: str) -> Principal | None:
    """The principal of the active account signing in as ``email`` (the command line acts
    as someone: an import is recorded under its account)."""
    return await _active_principal("email", email.strip().lower())


async def display_names(account_ids: Iterable[int]) -> dict[int, str]:
    """The display name of each account among ``account_ids`` (who acted, in a history)."""
    wanted = sorted(set(account_ids))
    if not wanted:
        return {}
    rows = await Account.select(Account.id, Account.display_name).where(Account.id.is_in(wanted))
    return {row["id"]: row["display_name"] for row in rows}


async def _active_principal(column: str, value: Any) -> Principal | None:
    rows = await Account.raw(
        _PRINCIPAL.format(columns="", accounts="account a", where=f"a.{column} = {{}}"), value
    )
    return _principal(rows) if rows else None


def _principal(rows: list[dict[str, Any]]) -> Principal | None:
    """The principal of an account's rows (``_PRINCIPAL``), None when it is inactive."""
    first = rows[0]
    if not first["active"]:
        return None
    return Principal(
        account_id=int(first["account_id"]),
        email=first["email"],
        display_name=first["display_name"],
        role=Role(first["role"]),
        sites=frozenset(row["site"] for row in rows if row["site"] is not None),
        cohorts=frozenset(int(row["cohort"]) for row in rows if row["cohort"] is not None),
    )


async def revoke(secret: str, kind: str, clock: Clock) -> None:
    """Revoke the credential behind ``secret`` (a logout, say)."""
    await Credential.update({Credential.revoked_at: clock.now()}).where(
        (Credential.token_hash == digest(secret)) & (Credential.kind == kind)
    )


async def revoke_api_token(principal: Principal, token_id: int, clock: Clock) -> None:
    """Revoke one of the caller's API tokens, or, for an admin, anyone's (audited); another's
    token is not found."""
    owner = None if principal.role is Role.ADMIN else principal.account_id
    where = (Credential.id == token_id) & (Credential.kind == API_TOKEN)
    if owner is not None:
        where &= Credential.account == owner
    async with Credential._meta.db.transaction():
        rows = (
            await Credential.update({Credential.revoked_at: clock.now()})
            .where(where)
            .returning(Credential.id, Credential.account)
        )
        if not rows:
            raise NotFound("no such token")
        if rows[0]["account"] != principal.account_id:
            await audit.record(
                principal.account_id,
                "api_token.revoked",
                "account",
                rows[0]["account"],
                at=clock.now(),
                details={"token": token_id},
            )


async def api_tokens(principal: Principal, account_id: int | None = None) -> list[dict[str, Any]]:
    """The API tokens of the caller, or of ``account_id`` for an admin (Forbidden for anyone
    else), newest first, without their secrets."""
    owner = principal.account_id if account_id is None else account_id
    if owner != principal.account_id and principal.role is not Role.ADMIN:
        raise Forbidden("only admins list another account's tokens")
    return (
        await Credential.select(
            Credential.id, Credential.label, Credential.created_at, Credential.revoked_at
        )
        .where((Credential.account == owner) & (Credential.kind == API_TOKEN))
        .order_by(Credential.id, ascending=False)
    )


async def purge_credentials(clock: Clock, keep: timedelta) -> int:
    """Delete sessions and tokens expired or revoked more than ``keep`` ago; returns how many."""
    cutoff = clock.now() - keep
    rows = (
        await Credential.delete()
        .where(
            ((Credential.expires_at.is_not_null()) & (Credential.expires_at < cutoff))
            | ((Credential.revoked_at.is_not_null()) & (Credential.revoked_at < cutoff))
        )
        .returning(Credential.id)
    )
    return len(rows)


PUBLIC_FORM_EMAIL = "formulaire-public@essaim.invalid"
"""The account the public forms act as: never active, no password, so nobody signs in as it."""
PUBLIC_FORM_NAME = "Formulaire public"


async def public_form_principal(site: str) -> Principal:
    """The principal a public form submits as, at ``site`` only.

    The public forms (``core.applications.public``, ``core.volunteering.public``) call the
    same services as a site manager would, so that validation, duplicate detection,
    eligibility, notifications and the audit trail apply unchanged; the records and the
    trail name this account, so that everyone sees the entry came from the public form. The
    account is made on first use, inactive and without a password; the principal reaches
    the one site the form is sent to, and only those entry points build it.
    """
    await Account.insert(
        Account(
            email=PUBLIC_FORM_EMAIL,
            display_name=PUBLIC_FORM_NAME,
            password_hash="",
            role=Role.SITE_MANAGER.value,
            active=False,
        )
    ).on_conflict(target=Account.email, action="DO NOTHING")
    row = await Account.select(Account.id).where(Account.email == PUBLIC_FORM_EMAIL).first()
    assert row is not None
    return Principal(
        account_id=int(row["id"]),
        email=PUBLIC_FORM_EMAIL,
        display_name=PUBLIC_FORM_NAME,
        role=Role.SITE_MANAGER,
        sites=frozenset({site}),
    )
