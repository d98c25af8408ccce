"""Helpers for the personal links' tests: a learner enrolled in the ``people`` fixture's
Paris cohort (which ends on 5 November 2026), and the secret their e-mail carries."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import httpx

from core.notifications.tables import Message
from tests.conftest import People
from tests.enrolment import admitted, enrol

EXIT_DAY = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
"""10:00 in Paris on the cohorts' last day."""
THREE_MONTHS = datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
"""The day the Paris 3-month follow-up falls due."""
_serial = itertools.count(1)
_LINK = re.compile(r"https?://\S+/suivi/([A-Za-z0-9_-]+)")


def move_to(clock, instant: datetime) -> None:
    clock.advance(instant - clock.now())


async def enrolled(client: httpx.AsyncClient, people: People) -> int:
    """A learner with an e-mail address enrolled in the Paris cohort: the enrolment."""
    email = f"apprenante{next(_serial)}@example.org"
    application = await admitted(client, people, email=email)
    return (await enrol(client, people, people.paris_cohort, application))["id"]


async def send(
    client: httpx.AsyncClient,
    people: People,
    enrolment: int,
    purpose: str = "survey",
    checkpoint: int = 0,
    who: str = "paris_manager",
) -> httpx.Response:
    """A link sent over the API."""
    return await client.post(
        f"/api/v1/enrolments/{enrolment}/links",
        json={"purpose": purpose, "checkpoint": checkpoint},
        headers=people.auth(who),
    )


async def secret_in(message_id: int) -> str:
    """The secret of the link a message carries, kept beside its text (which shows a
    placeholder) until the message leaves."""
    row = await Message.select(Message.body, Message.link).where(Message.id == message_id).first()
    assert "/suivi/" not in row["body"], "the text read by the team holds no usable link"
    found = _LINK.search(row["link"])
    assert found, row["link"]
    return found.group(1)


async def sent_secret(
    client: httpx.AsyncClient, people: People, enrolment: int, purpose: str = "survey", at=0
) -> str:
    """Send a link over the API and return its secret, read from the message."""
    response = await send(client, people, enrolment, purpose, at)
    assert response.status_code == 201, response.text
    return await secret_in(response.json()["message"])
