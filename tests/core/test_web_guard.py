"""The public forms' guard: a limit per form and client address, counted in the database (so
shared by every worker), forgotten after its window; the honeypot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.audit.origin import Origin, current_origin, set_origin
from core.web.guard import HONEYPOT, Guard, TooManySubmissions, caught
from core.web.tables import FormSubmission


def from_address(source: str) -> None:
    set_origin(Origin(source=source, clock=current_origin().clock))


async def test_the_limit_is_per_form_and_address_and_says_when_to_retry(db_settings, clock):
    guard, other_form = Guard(form="essai", limit=2), Guard(form="autre", limit=2)
    from_address("192.0.2.1")
    await guard.check(clock)
    await guard.count(clock)
    clock.advance(timedelta(minutes=10))
    await guard.count(clock)
    with pytest.raises(TooManySubmissions) as refused:
        await guard.check(clock)
    assert refused.value.retry_after == 50 * 60, "until the oldest leaves the window"
    await other_form.check(clock)
    from_address("192.0.2.2")
    await guard.check(clock)
    from_address("192.0.2.1")
    clock.advance(timedelta(minutes=50))
    await guard.check(clock)
    await guard.count(clock)
    clients = {row["client"] for row in await FormSubmission.select(FormSubmission.client)}
    assert all("192.0.2" not in client for client in clients), "a digest, not the address"
    assert await FormSubmission.count() == 2, "rows past the window are forgotten"


def test_a_filled_honeypot_is_caught():
    assert caught({HONEYPOT: " http://spam.example "})
    assert not caught({HONEYPOT: "  "}) and not caught({})
