"""E-mails to the people who work in Essaim (an invitation, a password reset): queued in the
caller's transaction, sent by the worker through the site's mail settings, as the messages to
learners are (``core.notifications.sending``, the only other module that touches their table).

The single-use link a message carries is kept apart from its text (``AccountMessage.link``)
and emptied once the message leaves, sent or given up: the database then holds only the
link's hash (``core.auth.links``). Logs name messages and accounts by id only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog

from core.auth.accounts import address_of
from core.clock import Clock
from core.jobs import service as jobs
from core.notifications.account_templates import LINK, AccountTemplate
from core.notifications.notifier import Undeliverable
from core.notifications.schemas import Channel, MessageStatus
from core.notifications.sending import MAX_ATTEMPTS, send_claimed
from core.notifications.tables import AccountMessage
from core.notifications.templates import Rendered
from core.sites.loader import SiteRegistry

log = structlog.get_logger(__name__)

SEND_ACCOUNT_JOB = "notifications.send_account"
"""The job kind that sends one account message; its payload is ``{"message_id": id}``."""


async def notify_account(
    account_id: int,
    template: AccountTemplate,
    rendered: Rendered,
    link: str,
    *,
    site: str,
    clock: Clock,
) -> int:
    """Store the e-mail for the account and queue its sending through ``site``'s mail
    settings; ``rendered.body`` holds ``LINK`` where ``link`` goes. Joins the caller's
    transaction. Returns the message's id."""
    if LINK not in rendered.body:
        raise ValueError(f"the body of {template.value!r} has no place for the link")
    async with AccountMessage._meta.db.transaction():
        rows = await AccountMessage.insert(
            AccountMessage(
                account=account_id,
                site=site,
                template=template.value,
                subject=rendered.subject,
                body=rendered.body,
                link=link,
                status=MessageStatus.QUEUED.value,
                created_at=clock.now(),
            )
        ).returning(AccountMessage.id)
        message_id = int(rows[0]["id"])
        await jobs.enqueue(
            SEND_ACCOUNT_JOB,
            {"message_id": message_id},
            run_at=None,
            clock=clock,
            max_attempts=MAX_ATTEMPTS,
        )
    log.info(
        "account_message_recorded",
        message_id=message_id,
        account_id=account_id,
        site=site,
        template=template.value,
    )
    return message_id


async def send_account_queued(
    message_id: int,
    *,
    sites: SiteRegistry,
    clock: Clock,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Send one queued account message: the ``notifications.send_account`` job. Retried
    like a learner's message; a message already sent or failed is left alone."""
    await send_claimed(
        AccountMessage,
        (AccountMessage.account,),
        _recipient,
        message_id,
        event="account_message",
        sites=sites,
        clock=clock,
        environ=environ,
    )


async def _recipient(row: Mapping[str, Any]) -> tuple[str, Channel]:
    """The address of a claimed message's account; Undeliverable once it is deactivated."""
    address = await address_of(int(row["account"]))
    if address is None:
        raise Undeliverable("the account is deactivated")
    return address, Channel.EMAIL
