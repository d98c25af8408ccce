"""What other domains read of completions: who completed which track."""

from __future__ import annotations

from core.completion.tables import Completion


async def completed_tracks(learner_id: int) -> frozenset[tuple[str, str]]:
    """The ``(program, track)`` pairs ``learner_id`` completed, at any site."""
    rows = await Completion.select(Completion.program, Completion.track).where(
        Completion.learner == learner_id, Completion.completed.eq(True)
    )
    return frozenset((row["program"], row["track"]) for row in rows)
