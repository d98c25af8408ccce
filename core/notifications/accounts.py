"""E-mails to the people who work in Essaim (an invitation, a password reset): queued in the
caller's transaction, sent by the worker through the site's mail settings, as the messages to
learners are. The only module that touches the account messages table.

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
from core.jobs.registry import JobError
from core.notifications.account_templates import LINK, AccountTemplate
from core.notifications.channels import notifier_for
from core.notifications.notifier import Outgoing, SendFailed, Undeliverable
from core.notifications.schemas import Channel, MessageStatus
from core.notifications.service import MAX_ATTEMPTS, MAX_ERROR_LENGTH
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
    rows = (
        await AccountMessage.update({AccountMessage.attempts: AccountMessage.attempts + 1})
        .where(
            (AccountMessage.id == message_id)
            & (AccountMessage.status == MessageStatus.QUEUED.value)
        )
        .returning(
            AccountMessage.account,
            AccountMessage.site,
            AccountMessage.subject,
            AccountMessage.body,
            AccountMessage.link,
            AccountMessage.attempts,
        )
    )
    message_log = log.bind(message_id=message_id)
    if not rows:
        message_log.info("account_message_not_queued")
        return
    row = rows[0]
    attempt = int(row["attempts"])
    message_log = message_log.bind(site=row["site"], attempt=attempt)
    try:
        address = await address_of(int(row["account"]))
        if address is None:
            raise Undeliverable("the account is deactivated")
        notifier = notifier_for(sites.get(row["site"]), Channel.EMAIL, environ)
        await notifier.send(
            Outgoing(
                message_id=message_id,
                to=address,
                subject=row["subject"],
                body=row["body"].replace(LINK, row["link"]),
            )
        )
    except Undeliverable as exc:
        await _finish(message_id, MessageStatus.FAILED, exc.reason)
        message_log.warning("account_message_failed", error=exc.reason, retried=False)
        return
    except Exception as exc:
        error = exc.reason if isinstance(exc, SendFailed) else type(exc).__name__
        spent = attempt >= MAX_ATTEMPTS
        if spent:
            await _finish(message_id, MessageStatus.FAILED, error)
        else:
            await AccountMessage.update(
                {AccountMessage.last_error: error[:MAX_ERROR_LENGTH]}
            ).where(AccountMessage.id == message_id)
        message_log.warning("account_message_failed", error=error, retried=not spent)
        raise JobError(f"account message {message_id}: {error}") from None
    await _finish(message_id, MessageStatus.SENT, "", clock=clock)
    message_log.info("account_message_sent")


async def _finish(
    message_id: int, status: MessageStatus, error: str, *, clock: Clock | None = None
) -> None:
    """Record the message's fate and forget its link."""
    values: dict[Any, Any] = {
        AccountMessage.status: status.value,
        AccountMessage.last_error: error[:MAX_ERROR_LENGTH],
        AccountMessage.link: "",
    }
    if clock is not None:
        values[AccountMessage.sent_at] = clock.now()
    await AccountMessage.update(values).where(AccountMessage.id == message_id)
