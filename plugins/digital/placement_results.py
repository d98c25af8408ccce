"""Scoring a DIGITAL placement test by section and recording its result on core's record.

The plugin decides ``passed`` from its sections' pass marks (``plugins.digital.placement``);
core records the result with the total as its score and asks DIGITAL which levels it opens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.plugin import Key
from core.plugin.services import InvalidField, PlacementOutcome, Principal, Runtime
from core.plugin.services import record_placement_result as record_on_core
from plugins.digital.curriculum import KEY
from plugins.digital.placement import TESTS, PlacementScore, score

Marks = Annotated[float, msgspec.Meta(ge=0, le=100)]


class PlacementInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A placement test's marks, by section key."""

    track: Key
    sections: Annotated[dict[str, Marks], msgspec.Meta(min_length=1, max_length=10)]
    assessed_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None


class PlacementRead(msgspec.Struct, kw_only=True):
    """The scored test and what core recorded: the application after it, the levels opened."""

    score: PlacementScore
    outcome: PlacementOutcome


async def record_placement(
    runtime: Runtime, principal: Principal, application_id: int, data: PlacementInput
) -> PlacementRead:
    """Score the test on its sections and record the result for the application."""
    test = TESTS.get(data.track)
    if test is None:
        raise InvalidField(
            f"level {data.track!r} has no placement test (known: {', '.join(TESTS)})",
            field="track",
        )
    try:
        scored = score(test, data.sections)
    except ValueError as exc:
        key = str(exc).split(":", 1)[0]
        raise InvalidField(str(exc), field=f"sections.{key}") from exc
    outcome = await record_on_core(
        runtime,
        principal,
        application_id,
        KEY,
        passed=scored.passed,
        track=data.track,
        score=scored.total,
        assessed_at=data.assessed_at,
    )
    return PlacementRead(score=scored, outcome=outcome)
