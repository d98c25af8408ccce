"""Slowing down, then locking, repeated failed sign-ins, for every worker at once.

Failures are rows in the database (``LoginFailure``), so that all the workers behind the proxy
count the same ones. Failures count in runs: those within ``WINDOW`` before the last one,
while the last is within ``WINDOW`` of now. Per e-mail address typed: from the
``SLOW_AFTER``-th failure of a run, the next try must wait 2, 4, 8... seconds after the last
one; from the ``LOCK_AFTER``-th the address is locked until ``WINDOW`` has passed since the
last failure. Per client address: locked likewise from ``ADDRESS_LOCK_AFTER`` failures in a
run, whatever addresses it tries. A
success clears the e-mail's failures. The refusal says how long to wait.

The same rows count the password resets asked for an address (``reset_allowed``): at most
``RESET_LIMIT`` e-mails within ``WINDOW``, so that nobody floods a mailbox, and at most
``RESET_ADDRESS_LIMIT`` requests from one client address, whatever addresses it asks for;
the asker is never told, since the answer must not say whether the address has an account.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from core.auth.tables import LoginFailure
from core.clock import Clock
from core.errors import ServiceError

WINDOW = timedelta(minutes=15)
SLOW_AFTER = 3
LOCK_AFTER = 10
ADDRESS_LOCK_AFTER = 50
RESET_LIMIT = 3
RESET_ADDRESS_LIMIT = 20
KEPT = 2 * WINDOW
"""How long a failure is kept: a lock lasts a window after a run of failures a window long."""


class TooManyAttempts(ServiceError):
    """Signing in is refused for now; ``retry_after`` seconds to wait."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        minutes = math.ceil(retry_after / 60)
        super().__init__(
            f"Too many failed sign-ins: try again in {retry_after} s"
            + (f" (about {minutes} min)" if retry_after >= 60 else "")
            + "; after a forgotten password, choose a new one at /mot-de-passe-oublie."
        )
        self.retry_after = retry_after


def _email_key(email: str) -> str:
    return "email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:64]


def _reset_key(email: str) -> str:
    return "reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:64]


def _address_key(source: str) -> str:
    return f"ip:{source[:64]}"


def _reset_address_key(source: str) -> str:
    return f"reset-ip:{source[:64]}"


async def _failures(key: str, since: datetime) -> list[datetime]:
    rows = await LoginFailure.select(LoginFailure.at).where(
        (LoginFailure.key == key) & (LoginFailure.at > since)
    )
    return sorted(row["at"] for row in rows)


def _streak(failures: list[datetime], now: datetime) -> list[datetime]:
    """The failures within the window before the last one, if the last is within the window
    before ``now``: the run the throttle answers to."""
    if not failures or failures[-1] <= now - WINDOW:
        return []
    return [at for at in failures if at > failures[-1] - WINDOW]


def _wait(failures: list[datetime], now: datetime) -> float:
    """Seconds still to wait after the e-mail's ``failures`` (oldest first)."""
    streak = _streak(failures, now)
    if len(streak) >= LOCK_AFTER:
        return (streak[-1] + WINDOW - now).total_seconds()
    if len(streak) >= SLOW_AFTER:
        delay = timedelta(seconds=2 ** (len(streak) - SLOW_AFTER + 1))
        return (streak[-1] + delay - now).total_seconds()
    return 0


async def check(email: str, source: str, clock: Clock) -> None:
    """Raise TooManyAttempts when a sign-in as ``email`` from ``source`` must wait."""
    now = clock.now()
    since = now - KEPT
    wait = _wait(await _failures(_email_key(email), since), now)
    by_address = _streak(await _failures(_address_key(source), since), now)
    if len(by_address) >= ADDRESS_LOCK_AFTER:
        wait = max(wait, (by_address[-1] + WINDOW - now).total_seconds())
    if wait > 0:
        raise TooManyAttempts(math.ceil(wait))


async def failed(email: str, source: str, clock: Clock) -> None:
    """Count a failed sign-in, and forget the failures older than the window."""
    now = clock.now()
    await LoginFailure.delete().where(LoginFailure.at <= now - KEPT)
    await LoginFailure.insert(
        LoginFailure(key=_email_key(email), at=now),
        LoginFailure(key=_address_key(source), at=now),
    )


async def succeeded(email: str) -> None:
    """Forget the e-mail's failures after a successful sign-in."""
    await LoginFailure.delete().where(LoginFailure.key == _email_key(email))


async def reset_allowed(email: str, source: str, clock: Clock) -> bool:
    """Count a password reset asked for ``email`` from the client ``source``; False when
    ``RESET_LIMIT`` were already asked for the address, or ``RESET_ADDRESS_LIMIT`` from the
    client, within ``WINDOW`` (no e-mail goes then)."""
    now = clock.now()
    key, by_client = _reset_key(email), _reset_address_key(source)
    await LoginFailure.delete().where(LoginFailure.at <= now - KEPT)
    if len(await _failures(by_client, now - WINDOW)) >= RESET_ADDRESS_LIMIT:
        return False
    await LoginFailure.insert(LoginFailure(key=by_client, at=now))
    if len(await _failures(key, now - WINDOW)) >= RESET_LIMIT:
        return False
    await LoginFailure.insert(LoginFailure(key=key, at=now))
    return True
