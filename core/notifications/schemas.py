"""Channels, statuses and the API's view of the messages sent to learners."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec


class Channel(enum.StrEnum):
    """How a message reaches the learner. SMS is reserved: no provider is wired yet."""

    EMAIL = "email"
    SMS = "sms"


class MessageStatus(enum.StrEnum):
    """``queued`` until the worker sends it (``sent``) or gives up (``failed``)."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class MessageRead(msgspec.Struct, kw_only=True):
    """A message as a list shows it: its subject and fate, not its text."""

    id: int
    learner: int
    site: str
    channel: Channel
    template: str
    subject: str
    status: MessageStatus
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class MessageDetail(MessageRead, kw_only=True):
    """One message with its text as it was sent."""

    body: str


class MessagePage(msgspec.Struct, kw_only=True):
    """One page of messages, newest first, with the total under the same filters."""

    items: list[MessageRead]
    total: int
    limit: int
    offset: int
