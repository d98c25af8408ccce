"""A frozen clock for the jobs tests: they move time, never sleep."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import FrozenClock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)
