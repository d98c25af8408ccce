"""Every row of every table that leads to one learner, found by following the links."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from piccolo.table import Table

from core.privacy.links import LEARNER_TABLE, Link, learner_links

RowIds = dict[str, set[int]]
"""The ids of a learner's rows, by table name."""


async def learner_row_ids(tables: list[type[Table]], learner_id: int) -> RowIds:
    """The ids of the learner's rows in every table that leads to them (empty ones left out).

    Links come parents first, so that a table's ids are complete before its children read them.
    """
    ids: RowIds = defaultdict(set)
    ids[LEARNER_TABLE].add(learner_id)
    for link in learner_links(tables):
        parents = ids.get(link.parent)
        if parents:
            ids[link.table._meta.tablename] |= await _children(link, parents)
    return {name: found for name, found in ids.items() if found}


async def _children(link: Link, parents: set[int]) -> set[int]:
    column = link.table._meta.get_column_by_name(link.column)
    rows = await link.table.select(link.table._meta.primary_key).where(
        column.is_in(sorted(parents))
    )
    return {row["id"] for row in rows}


async def read_rows(table: type[Table], ids: set[int]) -> list[dict[str, Any]]:
    """The rows of ``table`` with these ids, by id, JSON columns decoded."""
    return (
        await table.select()
        .where(table._meta.primary_key.is_in(sorted(ids)))
        .order_by(table._meta.primary_key)
        .output(load_json=True)
    )
