"""Messages to learners: written and queued in the caller's transaction, sent by the worker,
listed for the learner's site staff. The only module that touches the messages table.

``notify`` renders a template, stores the message (``queued``) and enqueues a send job in
the same transaction: a request that rolls back leaves neither, and no request waits on an
SMTP server. The ``notifications.send`` job sends it and marks it ``sent``; a failure that
may pass is retried by the jobs machinery, and the message shows ``failed`` once its
attempts are spent, or at once when retrying cannot help (no mail settings, no address).

The text of a message is personal data: logs name messages, learners and sites by id only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
import structlog

from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.clock import Clock
from core.errors import Forbidden, NotFound
from core.jobs import service as jobs
from core.jobs.registry import JobError
from core.learners.tables import Learner
from core.notifications.account_templates import LINK
from core.notifications.channels import notifier_for
from core.notifications.notifier import Outgoing, SendFailed, Undeliverable
from core.notifications.schemas import Channel, MessageDetail, MessageRead, MessageStatus
from core.notifications.tables import Message
from core.notifications.templates import Template, render
from core.sites.loader import SiteRegistry

log = structlog.get_logger(__name__)

SEND_JOB = "notifications.send"
"""The job kind that sends one message; its payload is ``{"message_id": id}``."""
MAX_ATTEMPTS = 5
"""Sends tried before a message shows ``failed``: over about 8 minutes (the jobs backoff)."""
MAX_ERROR_LENGTH = 200
"""The width of ``Message.last_error``."""
NO_EMAIL = "the learner has no e-mail address"
NO_PHONE = "the learner has no phone number"

_LIST_COLUMNS = tuple(getattr(Message, name) for name in MessageRead.__struct_fields__)
_DETAIL_COLUMNS = (*_LIST_COLUMNS, Message.body)


async def _contact(learner_id: int) -> dict[str, Any] | None:
    """The learner's site, first name and contact, or None when there is no such learner.

    Reads the learners table directly: ``core.learners`` has no unscoped accessor for
    contact details yet (its ``learner_snapshot`` leaves them out on purpose).
    """
    return (
        await Learner.select(Learner.site, Learner.first_name, Learner.email, Learner.phone)
        .where(Learner.id == learner_id)
        .first()
    )


def _address(contact: Mapping[str, Any], channel: Channel) -> str:
    """Where ``channel`` reaches the learner; Undeliverable when their record lacks it."""
    if channel is Channel.SMS:
        if not contact["phone"].strip():
            raise Undeliverable(NO_PHONE)
        return contact["phone"].strip()
    if not contact["email"].strip():
        raise Undeliverable(NO_EMAIL)
    return contact["email"].strip()


async def notify(
    learner_id: int,
    template: Template | str,
    context: Mapping[str, Any] | msgspec.Struct,
    *,
    clock: Clock,
    site: str | None = None,
    channel: Channel = Channel.EMAIL,
    link: str = "",
) -> int:
    """Write ``template`` for the learner, keep it in their record and queue its sending.

    ``link``, a personal link the context puts in the body, is kept apart from it (the body
    holds ``LINK`` in its place) until the message leaves, then forgotten.

    ``site`` is the site that writes (the application's; the learner's own by default): its
    mail settings send the message and its managers see it. Joins the caller's transaction,
    so the message and its job exist exactly when the caller's change commits. A learner
    without an address for ``channel`` gets the message recorded as ``failed`` with the
    reason, and no job. Returns the message's id.

    ValueError when the template or its context is wrong (a caller's bug); NotFound when
    there is no such learner.
    """
    template = Template(template)
    channel = Channel(channel)
    contact = await _contact(learner_id)
    if contact is None:
        raise NotFound(f"no learner {learner_id}")
    rendered = render(template, context, first_name=contact["first_name"])
    body = rendered.body
    if link:
        if link not in body:
            raise ValueError(f"the body of {template.value!r} does not show its link")
        body = body.replace(link, LINK)
    site = site or contact["site"]
    try:
        _address(contact, channel)
        status, error = MessageStatus.QUEUED, ""
    except Undeliverable as exc:
        status, error, link = MessageStatus.FAILED, exc.reason, ""
    async with Message._meta.db.transaction():
        rows = await Message.insert(
            Message(
                learner=learner_id,
                site=site,
                channel=channel.value,
                template=template.value,
                subject=rendered.subject,
                body=body,
                link=link,
                status=status.value,
                last_error=error,
                created_at=clock.now(),
            )
        ).returning(Message.id)
        message_id = int(rows[0]["id"])
        if status is MessageStatus.QUEUED:
            await jobs.enqueue(
                SEND_JOB,
                {"message_id": message_id},
                run_at=None,
                clock=clock,
                max_attempts=MAX_ATTEMPTS,
            )
    log.info(
        "message_recorded",
        message_id=message_id,
        learner_id=learner_id,
        site=site,
        template=template.value,
        channel=channel.value,
        status=status.value,
    )
    return message_id


async def send_queued(
    message_id: int,
    *,
    sites: SiteRegistry,
    clock: Clock,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Send one queued message: the ``notifications.send`` job.

    Each run counts an attempt on the message before it sends, as the job's claim does, so
    that both count the same. Raises JobError (safe text) for the jobs machinery to retry;
    the last attempt marks the message ``failed`` first. A message already sent or failed is
    left alone: the job may run twice.
    """
    rows = (
        await Message.update({Message.attempts: Message.attempts + 1})
        .where((Message.id == message_id) & (Message.status == MessageStatus.QUEUED.value))
        .returning(
            Message.learner,
            Message.site,
            Message.channel,
            Message.subject,
            Message.body,
            Message.link,
            Message.attempts,
        )
    )
    message_log = log.bind(message_id=message_id)
    if not rows:
        message_log.info("message_not_queued")
        return
    row = rows[0]
    attempt = int(row["attempts"])
    message_log = message_log.bind(site=row["site"], attempt=attempt)
    try:
        channel = Channel(row["channel"])
        contact = await _contact(int(row["learner"]))
        if contact is None:
            raise Undeliverable("the learner's record no longer exists")
        notifier = notifier_for(sites.get(row["site"]), channel, environ)
        await notifier.send(
            Outgoing(
                message_id=message_id,
                to=_address(contact, channel),
                subject=row["subject"],
                body=row["body"].replace(LINK, row["link"]) if row["link"] else row["body"],
            )
        )
    except Undeliverable as exc:
        await _finish(message_id, MessageStatus.FAILED, exc.reason)
        message_log.warning("message_failed", error=exc.reason, retried=False)
        return
    except Exception as exc:
        # Any other exception's text may quote personal data: keep its class name only.
        error = exc.reason if isinstance(exc, SendFailed) else type(exc).__name__
        spent = attempt >= MAX_ATTEMPTS
        if spent:
            await _finish(message_id, MessageStatus.FAILED, error)
        else:
            await Message.update({Message.last_error: error[:MAX_ERROR_LENGTH]}).where(
                Message.id == message_id
            )
        message_log.warning("message_failed", error=error, retried=not spent)
        raise JobError(f"message {message_id}: {error}") from None
    await _finish(message_id, MessageStatus.SENT, "", clock=clock)
    message_log.info("message_sent")


async def _finish(
    message_id: int, status: MessageStatus, error: str, *, clock: Clock | None = None
) -> None:
    values: dict[Any, Any] = {
        Message.status: status.value,
        Message.last_error: error[:MAX_ERROR_LENGTH],
        Message.link: "",
    }
    if clock is not None:
        values[Message.sent_at] = clock.now()
    await Message.update(values).where(Message.id == message_id)


def _scope(principal: Principal) -> list[Any] | None:
    """Conditions restricting messages to the caller's sites; None when it reaches none.

    Messages are learner records: the central team, which works on aggregates, does not
    read them; trainers reach none.
    """
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not messages to learners")
    if principal.role is Role.ADMIN:
        return []
    if principal.role is Role.SITE_MANAGER and principal.sites:
        return [Message.site.is_in(sorted(principal.sites))]
    return None


async def list_messages(
    principal: Principal,
    *,
    status: MessageStatus | None = None,
    learner: int | None = None,
    site: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[MessageRead], int]:
    """A page of the messages of the caller's sites, newest first, and their total."""
    scope = _scope(principal)
    if scope is None:
        return [], 0
    filters: list[Any] = []
    if status is not None:
        filters.append(Message.status == status.value)
    if learner is not None:
        filters.append(Message.learner == learner)
    if site:
        filters.append(Message.site == site)
    rows = (
        await Message.select(*_LIST_COLUMNS)
        .where(*filters, *scope)
        .order_by(Message.created_at, Message.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    total = await Message.count().where(*filters, *scope)
    return [msgspec.convert(row, MessageRead) for row in rows], total


async def get_message(principal: Principal, message_id: int) -> MessageDetail:
    """One message with its text; out of the caller's sites it is not found."""
    scope = _scope(principal)
    row = None
    if scope is not None:
        row = await Message.select(*_DETAIL_COLUMNS).where(Message.id == message_id, *scope).first()
    if row is None:
        raise NotFound(f"no message {message_id}")
    await audit.record_reads(principal, [row["learner"]], "message")
    return msgspec.convert(row, MessageDetail)


async def move_messages(source_id: int, into_id: int) -> None:
    """Give the messages of a learner record being merged away to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``: a message still pointing at
    the removed record would block the merge (the foreign key restricts).
    """
    await Message.update({Message.learner: into_id}).where(Message.learner == source_id)
