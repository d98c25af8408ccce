"""Looking for a person's values anywhere in the database, as an auditor would: every text,
JSON and date column of every table, read from the schema itself (both engines)."""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from core.learners.tables import Learner

_POSTGRES_TYPES = ("text", "character varying", "json", "jsonb", "date")
_SQLITE_TYPES = ("TEXT", "VARCHAR", "JSON", "JSONB", "DATE")


async def text_columns() -> list[tuple[str, str]]:
    """Every ``(table, column)`` of a text, JSON or date type in the database."""
    if isinstance(Learner._meta.db, PostgresEngine):
        rows = await Learner.raw(
            "SELECT table_name AS t, column_name AS c, data_type AS type "
            "FROM information_schema.columns WHERE table_schema = current_schema()"
        )
        return sorted((r["t"], r["c"]) for r in rows if r["type"] in _POSTGRES_TYPES)
    tables = await Learner.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
    found = []
    for table in tables:
        for column in await Learner.raw(f'PRAGMA table_info("{table["name"]}")'):
            if column["type"].upper().split("(")[0] in _SQLITE_TYPES:
                found.append((table["name"], column["name"]))
    return sorted(found)


async def where_found(values: list[str]) -> dict[str, list[str]]:
    """For each of ``values`` found anywhere (case ignored), the ``table.column`` holding it."""
    columns = await text_columns()
    assert ("learner", "notes") in columns and ("message", "body") in columns
    found: dict[str, list[str]] = {}
    for value in values:
        for table, column in columns:
            rows = await Learner.raw(
                f'SELECT COUNT(*) AS n FROM "{table}" '
                f'WHERE LOWER(CAST("{column}" AS TEXT)) LIKE {{}}',
                f"%{value.lower()}%",
            )
            if rows[0]["n"]:
                found.setdefault(value, []).append(f"{table}.{column}")
    return found
