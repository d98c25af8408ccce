"""Small-count suppression (RULES.md, Indicators): no count of fewer than 5 people leaves for
someone who may not see learner-level data, and none can be recovered by subtraction.

Cells are counts of people in groups; a grouping's cells add up to the cells of every
coarser grouping published with it (by site and program adds up to by site, which adds up to
the total). Primary suppression hides every count from 1 to 4. Secondary suppression then
makes each published sum safe: wherever a published cell is the sum of children some of which
are hidden, at least two children are hidden and the hidden ones add up to at least
``SAFE_HIDDEN_TOTAL``, so that no hidden child can be pinned to one value (two hidden cells
of 1 to 4 could be, from their sum: 2 is 1 + 1). Until then the smallest published non-zero
child is hidden too, or, when none is left, the parent itself; every sum a newly hidden cell
takes part in is checked again, until all hold. Zero is published: "nobody" discloses no one.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from core.reporting.indicator_sets import Rate

THRESHOLD = 5
"""Counts under this are hidden."""
SAFE_HIDDEN_TOTAL = 10
"""The least total of the hidden children of a published cell."""

Key = tuple[object, ...]
Grouping = tuple[str, ...]
Cell = tuple[Grouping, Key]


class Hidden(enum.StrEnum):
    """Why a cell is hidden."""

    SMALL = "small"
    """Under the threshold: shown as ``<5``."""
    COMPLEMENT = "complement"
    """Large enough, hidden so that a small one cannot be recovered: shown as ``x``."""


DISPLAY = {Hidden.SMALL: "<5", Hidden.COMPLEMENT: "x"}


class Lattice:
    """The cells of groupings published together, and every sum that links them.

    Built once per set of groups, then used for each count: the cells are numbered, each
    sum is a parent's number and its children's, and each cell knows the sums it is a
    child in. Groupings must be closed under dropping one dimension where they are linked
    (every coarser grouping present holds the projection of every finer cell), and keys of
    one grouping comparable (they are numbered in order, so that ties between children are
    always broken the same way).
    """

    def __init__(self, keys: Mapping[Grouping, Iterable[Key]]) -> None:
        self.cells: list[Cell] = []
        self.numbers: dict[Grouping, dict[Key, int]] = {}
        """Each grouping's cells: key -> number."""
        for grouping, grouping_keys in keys.items():
            first = len(self.cells)
            ordered = sorted(grouping_keys)
            self.cells.extend((grouping, key) for key in ordered)
            self.numbers[grouping] = {key: first + n for n, key in enumerate(ordered)}
        self.sums: list[tuple[int, list[int]]] = []
        self.child_in: list[list[int]] = [[] for _ in self.cells]
        for grouping in keys:
            for dimension in grouping:
                coarser = tuple(d for d in grouping if d != dimension)
                if coarser in keys:
                    self._link(grouping, coarser)

    def _link(self, grouping: Grouping, coarser: Grouping) -> None:
        """Each cell of ``coarser`` as the sum of the cells of ``grouping`` under it."""
        positions = [grouping.index(d) for d in coarser]
        parents = self.numbers[coarser]
        children: dict[int, list[int]] = {}
        for key, n in self.numbers[grouping].items():
            children.setdefault(parents[tuple([key[p] for p in positions])], []).append(n)
        for parent, numbers_of_parent in children.items():
            for child in numbers_of_parent:
                self.child_in[child].append(len(self.sums))
            self.sums.append((parent, numbers_of_parent))

    def suppress(self, values: Sequence[int]) -> dict[int, Hidden]:
        """The cells to hide, by number, for one count per cell (``values[n]``)."""
        hidden = {n: Hidden.SMALL for n, value in enumerate(values) if 0 < value < THRESHOLD}
        pending = deque(sorted({s for n in hidden for s in self.child_in[n]}))
        queued = set(pending)
        while pending:
            index = pending.popleft()
            queued.discard(index)
            parent, children = self.sums[index]
            if parent in hidden:
                continue
            concealed = concealed_total = 0
            smallest: int | None = None
            for child in children:
                if child in hidden:
                    concealed += 1
                    concealed_total += values[child]
                elif values[child] > 0 and (smallest is None or values[child] < values[smallest]):
                    smallest = child
            if not concealed or (concealed >= 2 and concealed_total >= SAFE_HIDDEN_TOTAL):
                continue
            newly = parent if smallest is None else smallest
            hidden[newly] = Hidden.COMPLEMENT
            for again in [index, *self.child_in[newly]]:
                if again not in queued:
                    queued.add(again)
                    pending.append(again)
        return hidden


def suppress(tables: Mapping[Grouping, Mapping[Key, int]]) -> dict[Cell, Hidden]:
    """The cells to hide among ``tables``: one count per cell of each grouping (the
    groupings published together, for one indicator and one set of filters)."""
    lattice = Lattice(tables)
    values = [tables[grouping][key] for grouping, key in lattice.cells]
    return {lattice.cells[n]: reason for n, reason in lattice.suppress(values).items()}


def hides_rate(rate: Rate, values: Mapping[str, int], hidden: Mapping[str, Hidden | None]) -> bool:
    """A rate is hidden when a count of people it rests on is from 1 to 4, when the last of
    them (its denominator) is under 5, or when one of them is hidden."""
    people = rate.people_counts
    return values[people[-1]] < THRESHOLD or any(
        hidden.get(name) is not None or 0 < values[name] < THRESHOLD for name in people
    )
