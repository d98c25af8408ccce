"""Core's own job handlers, registered for ``essaim worker``, and the recurring ones they keep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.auth import service as auth
from core.clock import Clock
from core.enrolment import service as enrolment
from core.jobs import service
from core.jobs.registry import JobRegistry
from core.notifications import accounts as account_messages
from core.notifications import service as notifications
from core.sites.loader import SiteRegistry

PURGE_CREDENTIALS = "auth.purge_credentials"
PURGE_EVERY = timedelta(days=1)
KEEP_DAYS = 30


def core_handlers(clock: Clock, sites: SiteRegistry) -> JobRegistry:
    """The registry of every handler core provides; ``sites`` holds their mail settings."""

    async def purge_credentials(payload: dict[str, Any]) -> None:
        await auth.purge_credentials(clock, keep=timedelta(days=int(payload["keep_days"])))
        await service.ensure_scheduled(
            PURGE_CREDENTIALS, payload, run_at=clock.now() + PURGE_EVERY, clock=clock
        )

    async def send_message(payload: dict[str, Any]) -> None:
        await notifications.send_queued(int(payload["message_id"]), sites=sites, clock=clock)

    async def send_account_message(payload: dict[str, Any]) -> None:
        await account_messages.send_account_queued(
            int(payload["message_id"]), sites=sites, clock=clock
        )

    async def expire_offer(payload: dict[str, Any]) -> None:
        await enrolment.expire_offer(int(payload["enrolment_id"]), clock=clock, sites=sites)

    return JobRegistry(
        {
            PURGE_CREDENTIALS: purge_credentials,
            notifications.SEND_JOB: send_message,
            account_messages.SEND_ACCOUNT_JOB: send_account_message,
            enrolment.OFFER_EXPIRY_JOB: expire_offer,
        }
    )


async def schedule_recurring(clock: Clock) -> None:
    """Make sure each recurring job has a run waiting; called when a worker starts."""
    await service.ensure_scheduled(
        PURGE_CREDENTIALS, {"keep_days": KEEP_DAYS}, run_at=clock.now(), clock=clock
    )
