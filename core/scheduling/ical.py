"""Sessions as an iCalendar document (RFC 5545), built with the ``icalendar`` library.

Pure: the feed service loads the sessions, this writes them. The same sessions always make
the same bytes: no value is taken from the clock or from a random source, events are sorted,
and the time zones are described from the same fixed range whatever the events. Calendar
apps then see an unchanged feed as unchanged, and a re-planned session as the same event
moved, since its UID follows the cohort and the session's place in the plan, not its row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import msgspec
from icalendar import Calendar, Event, vDuration

PRODID = "-//Essaim//Calendrier des séances//FR"
REFRESH = timedelta(hours=1)
"""How often calendar apps are asked to read a feed again."""


def session_uid(cohort_id: int, sequence: int) -> str:
    """The UID of a cohort's session: re-planning keeps it, since it keeps the sequence."""
    return f"cohort-{cohort_id}-session-{sequence}@essaim"


class FeedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One session as a calendar shows it. ``start`` and ``end`` carry the session's zone;
    ``stamp`` is when the session was written, so that it changes only when the session does.
    """

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str
    stamp: datetime
    cancelled: bool = False


def build_calendar(
    *, uid: str, name: str, events: Iterable[FeedEvent], timezone: str | None = None
) -> bytes:
    """The feed: one VEVENT per event, in order of start then UID, with a VTIMEZONE for each
    zone the events use. ``timezone`` is the calendar's own zone where it has one (a site's)."""
    calendar = Calendar.new(
        prodid=PRODID,
        uid=uid,
        name=name,
        method="PUBLISH",
        calscale="GREGORIAN",
    )
    # RFC 7986 refresh hint, with the VALUE parameter it requires; X-PUBLISHED-TTL is the
    # older name that Apple and Microsoft clients read.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    if timezone:
        calendar.add("X-WR-TIMEZONE", timezone)
    for event in sorted(events, key=lambda e: (e.start, e.uid)):
        calendar.add_component(
            Event.new(
                uid=event.uid,
                stamp=event.stamp,
                start=event.start,
                end=event.end,
                summary=event.summary,
                location=event.location or None,
                description=event.description,
                status="CANCELLED" if event.cancelled else "CONFIRMED",
            )
        )
    # The default range (1970 to 2038) keeps each VTIMEZONE the same whatever the events.
    calendar.add_missing_timezones()
    return calendar.to_ical()
