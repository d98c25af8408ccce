"""Abuse protection for the public forms, without any outside service: a limit of submissions
per client address, shared by every worker, and a honeypot field.

The client's address is the request's origin (``core.audit.origin``), the one place that
derives it, as the sign-in throttle reads it (``core.auth.throttle``). Submissions are rows
in the database (``FormSubmission``), keyed by a digest of the address, so that all the
workers behind the proxy count the same ones; rows older than the window are forgotten.

A form calls ``check`` before it does anything, ``count`` once a submission is taken (a
success, or a honeypot caught), and ``caught`` to tell a robot: a filled honeypot answers
like a success and stores nothing.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from litestar import Request, Response
from litestar.response import Template

from core.audit.origin import current_origin
from core.clock import Clock
from core.db.instants import as_utc
from core.errors import ServiceError
from core.web.tables import FormSubmission

HONEYPOT = "site_internet"
"""The honeypot field's name: an input hidden from people and screen readers, that only a
robot filling every field fills."""


class TooManySubmissions(ServiceError):
    """The form was sent too often from this address; ``retry_after`` seconds to wait."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many submissions from this address: try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Guard:
    """The limit of one public form: at most ``limit`` submissions per client address within
    ``window``."""

    form: str
    limit: int = 5
    window: timedelta = timedelta(hours=1)

    async def check(self, clock: Clock) -> None:
        """Raise TooManySubmissions when the client's address has used up the limit."""
        now = clock.now()
        rows = (
            await FormSubmission.select(FormSubmission.at)
            .where(
                (FormSubmission.form == self.form)
                & (FormSubmission.client == _client())
                & (FormSubmission.at > now - self.window)
            )
            .order_by(FormSubmission.at)
        )
        if len(rows) >= self.limit:
            oldest = as_utc(rows[len(rows) - self.limit]["at"])
            wait = (oldest + self.window - now).total_seconds()
            raise TooManySubmissions(max(1, math.ceil(wait)))

    async def count(self, clock: Clock) -> None:
        """Count a submission from the client's address; forget those past the window."""
        now = clock.now()
        await FormSubmission.delete().where(
            (FormSubmission.form == self.form) & (FormSubmission.at <= now - self.window)
        )
        await FormSubmission.insert(FormSubmission(form=self.form, client=_client(), at=now))


def caught(posted: Mapping[str, str]) -> bool:
    """True when the honeypot field was filled: a robot, to answer like a success."""
    return bool(posted.get(HONEYPOT, "").strip())


def _client() -> str:
    """A digest of the client's address: enough to count, not the address itself."""
    return hashlib.sha256(current_origin().source.encode()).hexdigest()


def too_many(request: Request, refused: TooManySubmissions) -> Response:
    """The 429 page: the form was sent too often from this address, and when to try again."""
    minutes = max(1, math.ceil(refused.retry_after / 60))
    return Template(
        "public/too_many.html",
        context={"user": None, "minutes": minutes},
        status_code=429,
        headers={"Retry-After": str(refused.retry_after)},
    )
