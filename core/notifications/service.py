"""Messages to learners: written and queued in the caller's transaction, sent by the worker,
listed for the learner's site staff. The only module that touches the messages table, with
``core.notifications.sending``, which sends them.

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
from core.learners.tables import Learner
from core.notifications.account_templates import LINK
from core.notifications.notifier import Undeliverable
from core.notifications.schemas import Channel, MessageDetail, MessageRead, MessageStatus
from core.notifications.sending import MAX_ATTEMPTS, send_claimed
from core.notifications.tables import Message
from core.notifications.templates import Template, render
from core.sites.loader import SiteRegistry

log = structlog.get_logger(__name__)

SEND_JOB = "notifications.send"
"""The job kind that sends one message; its payload is ``{"message_id": id}``."""
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
    """Send one queued message: the ``notifications.send`` job (``sending.send_claimed``).

    Raises JobError (safe text) for the jobs machinery to retry; the last attempt marks the
    message ``failed`` first. A message already sent or failed is left alone.
    """
    await send_claimed(
        Message,
        (Message.learner, Message.channel),
        _recipient,
        message_id,
        event="message",
        sites=sites,
        clock=clock,
        environ=environ,
    )


async def _recipient(row: Mapping[str, Any]) -> tuple[str, Channel]:
    """The address and channel of a claimed message's learner; Undeliverable when none."""
    channel = Channel(row["channel"])
    contact = await _contact(int(row["learner"]))
    if contact is None:
        raise Undeliverable("the learner's record no longer exists")
    return _address(contact, channel), channel


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
