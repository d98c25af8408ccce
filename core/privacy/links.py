"""Which tables lead to a learner, through which foreign keys, in an order to read them in.

A row belongs to a learner when a chain of foreign keys leads from it to their ``learner``
row: their applications and enrolments directly, an eligibility check through its
application, a plugin's placement through its enrolment. Export and erasure follow these
links, so that a plugin's table is reached without core naming it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from piccolo.columns import ForeignKey
from piccolo.table import Table

from core.db.engine import app_modules
from core.plugins import PluginHost

LEARNER_TABLE = "learner"


@dataclass(frozen=True, slots=True)
class Link:
    """A foreign key of ``table``, ``column``, to a table that leads to a learner."""

    table: type[Table]
    column: str
    parent: str
    """The referenced table's name."""


def all_tables(host: PluginHost) -> list[type[Table]]:
    """Every table of core's Piccolo apps and of the installed plugins'."""
    tables: list[type[Table]] = []
    for module in app_modules(host):
        tables.extend(importlib.import_module(module).APP_CONFIG.table_classes)
    return tables


def _references(column: ForeignKey) -> str:
    return column._foreign_key_meta.resolved_references._meta.tablename


def learner_links(tables: list[type[Table]]) -> list[Link]:
    """The foreign keys that lead to a learner, each table's after those of the tables it
    refers to, so that a reader knows a parent's rows before it reads its children's."""
    by_name = {table._meta.tablename: table for table in tables}
    linked = _linked_names(tables)
    reached = {LEARNER_TABLE}
    links: list[Link] = []
    pending = sorted(linked - reached)
    while pending:
        ready = [name for name in pending if _parents(by_name[name]) & linked <= reached]
        for name in ready:
            table = by_name[name]
            for column in table._meta.foreign_key_columns:
                parent = _references(column)
                if parent in linked and parent != name:
                    links.append(Link(table=table, column=column._meta.name, parent=parent))
            reached.add(name)
            pending.remove(name)
    return links


def _parents(table: type[Table]) -> set[str]:
    own = table._meta.tablename
    return {_references(c) for c in table._meta.foreign_key_columns} - {own}


def _linked_names(tables: list[type[Table]]) -> set[str]:
    """The tables some chain of foreign keys leads from to the learner table."""
    linked = {LEARNER_TABLE}
    grew = True
    while grew:
        grew = False
        for table in tables:
            name = table._meta.tablename
            if name not in linked and _parents(table) & linked:
                linked.add(name)
                grew = True
    return linked


def linked_tables(tables: list[type[Table]]) -> list[type[Table]]:
    """The learner table, then every table that leads to it, parents first."""
    by_name = {table._meta.tablename: table for table in tables}
    ordered = [by_name[LEARNER_TABLE]]
    for link in learner_links(tables):
        if link.table not in ordered:
            ordered.append(link.table)
    return ordered
