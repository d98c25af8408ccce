"""The kit's checks of a plugin's tables: their names, and the personal data they declare.

Core's export and erasure reach a plugin's personal columns only through what
``essaim_personal_data`` declares. A table linked to a learner (a foreign key to core's learner
or enrolment) that has text columns must therefore say which of them are personal, or return
``NoPersonalData`` for itself: a table forgotten there would keep its text after an erasure.
"""

from __future__ import annotations

import importlib

from piccolo.columns import ForeignKey, Text, Varchar
from piccolo.columns.base import Column
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from core.plugin import PersonalColumn, PersonalKind, Program
from core.plugin.tables import ENROLMENT, ENROLMENT_APP, LEARNER, LEARNER_APP
from core.plugin.testing.problems import Problem, where
from core.plugins import PluginError, PluginHost

HOOK = "essaim_personal_data"


def _people_tables() -> dict[tuple[str, str], str]:
    """Core's learner and enrolment tables, by ``(module or app name, class name)``."""
    found = {}
    for reference, app_module in ((LEARNER, LEARNER_APP), (ENROLMENT, ENROLMENT_APP)):
        label = reference.table_class_name.lower()
        app_name = importlib.import_module(app_module).APP_CONFIG.app_name
        found[(str(reference.module_path), reference.table_class_name)] = label
        found[(app_name, reference.table_class_name)] = label
    return found


def leads_to(column: Column) -> str | None:
    """``"learner"`` or ``"enrolment"`` when ``column`` is a foreign key to that core table."""
    if not isinstance(column, ForeignKey):
        return None
    reference = column._foreign_key_meta.references
    if isinstance(reference, LazyTableReference):
        owner = reference.module_path or reference.app_name or ""
        key = (owner, reference.table_class_name)
    elif isinstance(reference, type) and issubclass(reference, Table):
        key = (reference.__module__, reference.__name__)
    else:
        return None
    return _people_tables().get(key)


def plugin_tables(apps: list[str]) -> list[type[Table]]:
    """The table classes of the Piccolo apps at ``apps`` (dotted paths of ``piccolo_app``)."""
    tables = []
    for path in apps:
        tables.extend(importlib.import_module(path).APP_CONFIG.table_classes)
    return tables


def _has_text(table: type[Table]) -> bool:
    return any(isinstance(column, Varchar | Text) for column in table._meta.columns)


def _links_a_learner(table: type[Table]) -> bool:
    return any(leads_to(column) for column in table._meta.columns)


def check_tables(name: str, host: PluginHost, programs: list[Program]) -> list[Problem]:
    """Table names prefixed with a program key (or the plugin's name), declared personal
    columns that exist and lead to a learner, and every learner-linked table with text
    columns declared one way or the other."""
    try:
        tables = plugin_tables(host.piccolo_apps())
        columns = host.personal_data()
        exempt = host.tables_without_personal_data()
    except PluginError as exc:
        return [Problem(check="personal_data", where=where(name, hook=HOOK), message=str(exc))]
    problems: list[Problem] = []

    def problem(check: str, message: str) -> None:
        problems.append(Problem(check=check, where=where(name, hook=HOOK), message=message))

    prefixes = [f"{key}_" for key in (*(program.key for program in programs), name)]
    for table in tables:
        tablename = table._meta.tablename
        if not tablename.startswith(tuple(prefixes)):
            problems.append(
                Problem(
                    check="tables",
                    where=where(name, hook="essaim_piccolo_apps"),
                    message=f"table {tablename!r} ({table.__name__}) is not prefixed with a "
                    f"program key; name it {prefixes[0]}..., with Table's tablename argument",
                )
            )
    by_name = {table._meta.tablename: table for table in tables}
    for _, declared in columns:
        problems.extend(_column_problems(name, declared, by_name))
    for _, none in exempt:
        if none.table not in by_name:
            problem(
                "personal_data",
                f"NoPersonalData names table {none.table!r}, which none of the plugin's Piccolo "
                f"apps holds (tables: {sorted(by_name)})",
            )
        elif not none.reason.strip():
            problem(
                "personal_data",
                f"NoPersonalData for table {none.table!r} gives no reason; say why its text "
                "columns hold nothing personal",
            )
    personal = {declared.table for _, declared in columns}
    for tablename in sorted(personal & {none.table for _, none in exempt}):
        problem(
            "personal_data",
            f"table {tablename!r} is declared both with personal columns and as NoPersonalData; "
            "keep one",
        )
    declared_tables = personal | {none.table for _, none in exempt}
    for tablename, table in sorted(by_name.items()):
        if tablename in declared_tables or not (_has_text(table) and _links_a_learner(table)):
            continue
        text = [c._meta.name for c in table._meta.columns if isinstance(c, Varchar | Text)]
        problem(
            "personal_data",
            f"table {tablename!r} links a learner and has text columns {text} but declares "
            "none of them; return a PersonalColumn for each personal one from "
            f"{HOOK}, or NoPersonalData(table={tablename!r}, reason=...) if none is",
        )
    return problems


def _column_problems(
    name: str, declared: PersonalColumn, tables: dict[str, type[Table]]
) -> list[Problem]:
    """What is wrong with one ``PersonalColumn``: its table, its column, its learner link."""
    place = where(name, hook=HOOK)
    label = f"PersonalColumn {declared.table}.{declared.column}"
    table = tables.get(declared.table)
    if table is None:
        return [
            Problem(
                check="personal_data",
                where=place,
                message=f"{label} names a table none of the plugin's Piccolo apps holds "
                f"(tables: {sorted(tables)}); use the table's tablename",
            )
        ]
    by_column = {column._meta.name: column for column in table._meta.columns}
    problems = []
    if declared.column not in by_column:
        problems.append(
            Problem(
                check="personal_data",
                where=place,
                message=f"{label} names a column {table.__name__} does not have "
                f"(columns: {sorted(by_column)})",
            )
        )
    if not isinstance(declared.kind, PersonalKind):
        problems.append(
            Problem(
                check="personal_data",
                where=place,
                message=f"{label} has kind {declared.kind!r}; use a core.plugin.PersonalKind",
            )
        )
    link = by_column.get(declared.learner)
    if link is None or leads_to(link) is None:
        problems.append(
            Problem(
                check="personal_data",
                where=place,
                message=f"{label} says the learner is found through column {declared.learner!r}, "
                "which is not a ForeignKey to core's learner or enrolment; point it at a "
                "ForeignKey(references=LEARNER or ENROLMENT) from core.plugin.tables",
            )
        )
    return problems
