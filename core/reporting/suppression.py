"""Small-count suppression (RULES.md, Indicators): no count of fewer than 5 people leaves for
someone who may not see learner-level data, and none can be recovered by subtraction.

Cells are counts of people in groups; a grouping's cells add up to the cells of every
coarser grouping published with it (by site and program adds up to by site, which adds up to
the total). Primary suppression hides every count from 1 to 4. Secondary suppression then
makes each published sum safe: wherever a published cell is the sum of children some of which
are hidden, at least two children are hidden and the hidden ones add up to at least
``SAFE_HIDDEN_TOTAL``, so that no hidden child can be pinned to one value (two hidden cells
of 1 to 4 could be, from their sum: 2 is 1 + 1). Until then the smallest published non-zero
child is hidden too, or, when none is left, the parent itself, and the whole is repeated
until nothing changes. Zero is published: "nobody" discloses no one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

THRESHOLD = 5
"""Counts under this are hidden."""
SAFE_HIDDEN_TOTAL = 10
"""The least total of the hidden children of a published cell."""

Key = tuple[object, ...]
Grouping = tuple[str, ...]


class Hidden(enum.StrEnum):
    """Why a cell is hidden."""

    SMALL = "small"
    """Under the threshold: shown as ``<5``."""
    COMPLEMENT = "complement"
    """Large enough, hidden so that a small one cannot be recovered: shown as ``x``."""


DISPLAY = {Hidden.SMALL: "<5", Hidden.COMPLEMENT: "x"}


def _project(key: Key, grouping: Grouping, coarser: Grouping) -> Key:
    return tuple(key[grouping.index(dimension)] for dimension in coarser)


def _relations(
    tables: Mapping[Grouping, Mapping[Key, int]],
) -> list[tuple[tuple[Grouping, Key], list[tuple[Grouping, Key]]]]:
    """Every published sum: a cell of a grouping and its children in each grouping that
    has one dimension more."""
    relations = []
    for grouping in tables:
        for dimension in grouping:
            coarser = tuple(d for d in grouping if d != dimension)
            if coarser not in tables:
                continue
            children: dict[Key, list[tuple[Grouping, Key]]] = {}
            for key in tables[grouping]:
                children.setdefault(_project(key, grouping, coarser), []).append((grouping, key))
            for parent, cells in children.items():
                relations.append(((coarser, parent), sorted(cells, key=repr)))
    return relations


def suppress(tables: Mapping[Grouping, Mapping[Key, int]]) -> dict[tuple[Grouping, Key], Hidden]:
    """The cells to hide among ``tables``: one count per cell of each grouping (the
    groupings published together, for one indicator and one set of filters)."""
    hidden: dict[tuple[Grouping, Key], Hidden] = {
        (grouping, key): Hidden.SMALL
        for grouping, cells in tables.items()
        for key, value in cells.items()
        if 0 < value < THRESHOLD
    }
    relations = _relations(tables)

    def value(cell: tuple[Grouping, Key]) -> int:
        return tables[cell[0]].get(cell[1], 0)

    changed = True
    while changed:
        changed = False
        for parent, children in relations:
            if parent in hidden or parent[1] not in tables[parent[0]]:
                continue
            concealed = [cell for cell in children if cell in hidden]
            if not concealed:
                continue
            if len(concealed) >= 2 and sum(map(value, concealed)) >= SAFE_HIDDEN_TOTAL:
                continue
            candidates = sorted(
                (c for c in children if c not in hidden and value(c) > 0),
                key=lambda c: (value(c), repr(c)),
            )
            if candidates:
                hidden[candidates[0]] = Hidden.COMPLEMENT
            else:
                hidden[parent] = Hidden.COMPLEMENT
            changed = True
    return hidden


def hides_rate(numerator: int, denominator: int, hidden: Sequence[Hidden | None]) -> bool:
    """A rate is hidden when its numerator or denominator is under the threshold or hidden."""
    return (
        0 < numerator < THRESHOLD
        or denominator < THRESHOLD
        or any(reason is not None for reason in hidden)
    )
