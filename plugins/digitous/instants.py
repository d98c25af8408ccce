"""Instants as read back from either engine."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(instant: datetime) -> datetime:
    """A stored instant, timezone-aware in UTC (SQLite can hand it back without its zone)."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
