"""The notifier interface that every channel implements, and the failures it reports."""

from __future__ import annotations

from typing import Protocol

import msgspec

from core.notifications.schemas import Channel


class Outgoing(msgspec.Struct, frozen=True, kw_only=True):
    """One message to hand to a notifier. ``to`` and the text are personal data: never log them."""

    message_id: int
    to: str
    """An e-mail address or a phone number, as the channel needs."""
    subject: str
    body: str


class SendFailed(Exception):
    """A send did not happen. The message is safe to store and log: no personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryError(SendFailed):
    """A failure that may pass (server down, busy, refusing for now): the job is retried."""


class Undeliverable(SendFailed):
    """A failure that retrying cannot fix (no mail settings, no address): failed at once."""


class Notifier(Protocol):
    """Sends messages on one channel for one site."""

    channel: Channel

    async def send(self, outgoing: Outgoing) -> None:
        """Send ``outgoing``; raise DeliveryError or Undeliverable on failure, nothing else
        that holds personal data."""
        ...
