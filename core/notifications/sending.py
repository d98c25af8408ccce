"""Sending one queued message, to a learner (``Message``) or to a staff account
(``AccountMessage``): the body of both send jobs.

A run counts an attempt on the message before it sends, as the job's claim does, so that both
count the same; a message already sent or failed is left alone (the job may run twice). The
one-time link goes into the body only as it leaves, and is forgotten in every final state.
A failure retrying cannot fix (Undeliverable) fails the message at once; any other is retried
through JobError until ``MAX_ATTEMPTS``. Only safe text is stored and logged: a SendFailed's
reason, or else the exception's class name, never its text, which may quote personal data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from piccolo.columns import Column

from core.clock import Clock
from core.jobs.registry import JobError
from core.notifications.account_templates import LINK
from core.notifications.channels import notifier_for
from core.notifications.notifier import Outgoing, SendFailed, Undeliverable
from core.notifications.schemas import Channel, MessageStatus
from core.notifications.tables import AccountMessage, Message
from core.sites.loader import SiteRegistry

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 5
"""Sends tried before a message shows ``failed``: over about 8 minutes (the jobs backoff)."""
MAX_ERROR_LENGTH = 200
"""The width of ``last_error`` in both messages tables."""

Resolve = Callable[[Mapping[str, Any]], Awaitable[tuple[str, Channel]]]
"""Where a claimed message goes: its row to (address, channel); Undeliverable when nowhere."""


async def send_claimed(
    table: type[Message] | type[AccountMessage],
    recipient: tuple[Column, ...],
    resolve: Resolve,
    message_id: int,
    *,
    event: str,
    sites: SiteRegistry,
    clock: Clock,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Claim an attempt on the queued message ``message_id`` of ``table`` and send it.

    ``recipient`` are the columns ``resolve`` reads from the claimed row. ``event`` prefixes
    the log events (``{event}_sent``, ``{event}_failed``, ``{event}_not_queued``) and, in
    words, the JobError raised for the jobs machinery to retry.
    """
    rows = (
        await table.update({table.attempts: table.attempts + 1})
        .where((table.id == message_id) & (table.status == MessageStatus.QUEUED.value))
        .returning(*recipient, table.site, table.subject, table.body, table.link, table.attempts)
    )
    message_log = log.bind(message_id=message_id)
    if not rows:
        message_log.info(f"{event}_not_queued")
        return
    row = rows[0]
    attempt = int(row["attempts"])
    message_log = message_log.bind(site=row["site"], attempt=attempt)
    try:
        address, channel = await resolve(row)
        notifier = notifier_for(sites.get(row["site"]), channel, environ)
        await notifier.send(
            Outgoing(
                message_id=message_id,
                to=address,
                subject=row["subject"],
                body=row["body"].replace(LINK, row["link"]) if row["link"] else row["body"],
            )
        )
    except Undeliverable as exc:
        await _finish(table, message_id, MessageStatus.FAILED, exc.reason)
        message_log.warning(f"{event}_failed", error=exc.reason, retried=False)
        return
    except Exception as exc:
        # Any other exception's text may quote personal data: keep its class name only.
        error = exc.reason if isinstance(exc, SendFailed) else type(exc).__name__
        spent = attempt >= MAX_ATTEMPTS
        if spent:
            await _finish(table, message_id, MessageStatus.FAILED, error)
        else:
            await table.update({table.last_error: error[:MAX_ERROR_LENGTH]}).where(
                table.id == message_id
            )
        message_log.warning(f"{event}_failed", error=error, retried=not spent)
        raise JobError(f"{event.replace('_', ' ')} {message_id}: {error}") from None
    await _finish(table, message_id, MessageStatus.SENT, "", clock=clock)
    message_log.info(f"{event}_sent")


async def _finish(
    table: type[Message] | type[AccountMessage],
    message_id: int,
    status: MessageStatus,
    error: str,
    *,
    clock: Clock | None = None,
) -> None:
    """Record the message's fate and forget its link; ``clock`` dates a sent message."""
    values: dict[Column, Any] = {
        table.status: status.value,
        table.last_error: error[:MAX_ERROR_LENGTH],
        table.link: "",
    }
    if clock is not None:
        values[table.sent_at] = clock.now()
    await table.update(values).where(table.id == message_id)
