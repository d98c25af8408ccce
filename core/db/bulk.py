"""Many rows in one statement: the write path of bulk imports, and their lookups by key.

Piccolo builds an insert of N rows from N Table instances and passes every value through
its converters: for a batch of 500 learners that was 70% of an import's time. Here the rows
go to the driver with their values as Piccolo would send them (dates and instants as
objects, for which Piccolo registers SQLite's adapters; JSON as text): on SQLite as one
multi-row ``INSERT ... VALUES``, on PostgreSQL as one array per column, unnested (a
500-row VALUES statement of 13,000 parameters took asyncpg four times as long).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import msgspec
from piccolo.columns import JSON, Column
from piccolo.table import Table

MAX_PARAMETERS = 32_000
"""Below SQLite's 32,766 parameters per statement (since 3.32)."""
_ARRAY_TYPE = re.compile(r"\(.*\)$")
"""A column type's length or precision, which an array cast leaves out: VARCHAR(40)."""


def _transaction_of(table: type[Table]) -> Any:
    transaction = table._meta.db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("bulk writes run inside a transaction")
    return transaction


async def insert_rows(
    table: type[Table],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    returning: Sequence[Column] = (),
) -> list[dict[str, Any]]:
    """Insert ``rows`` (values in the order of ``columns``) in the current transaction.

    Returns the ``returning`` columns of the new rows, in no particular order (SQLite does
    not promise one). Raises RuntimeError outside a transaction: a bulk write commits with
    the rest of its batch or not at all.
    """
    if not rows:
        return []
    transaction = _transaction_of(table)
    engine_type = table._meta.db.engine_type
    names = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    tail = ""
    if returning:
        tail = " RETURNING " + ", ".join(f'"{c._meta.db_column_name}"' for c in returning)
    if engine_type == "sqlite":
        return await _sqlite_insert(transaction.connection, table, names, tail, columns, rows)
    # The rows as one JSON document, spread into the table's row type: one small statement
    # and one parameter whatever the batch size. (One array per column, unnested, cost
    # asyncpg an isinstance check per value: an eighth of a 100,000-row import.)
    keys = [column._meta.db_column_name for column in columns]
    json_keys = [key for key, column in zip(keys, columns, strict=True) if isinstance(column, JSON)]
    records = [dict(zip(keys, row, strict=True)) for row in rows]
    for record in records:  # a JSON column's text goes in as the JSON it holds
        for key in json_keys:
            if isinstance(record[key], str):
                record[key] = msgspec.Raw(record[key].encode())
    document = msgspec.json.encode(records)
    statement = (
        f'INSERT INTO "{table._meta.tablename}" ({names}) SELECT {names} '
        f'FROM json_populate_recordset(NULL::"{table._meta.tablename}", $1::json){tail}'
    )
    found = await transaction.connection.fetch(statement, document.decode())
    return [dict(row) for row in found]


async def _sqlite_insert(
    connection: Any,
    table: type[Table],
    names: str,
    tail: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
) -> list[dict[str, Any]]:
    """Multi-row VALUES, in chunks under SQLite's limit on parameters per statement."""
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    one = f"({', '.join('?' * len(columns))})"
    found: list[dict[str, Any]] = []
    for first in range(0, len(rows), per_statement):
        chunk = rows[first : first + per_statement]
        values = ", ".join(one for _ in chunk)
        statement = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES {values}{tail}'
        parameters = [value for row in chunk for value in row]
        found.extend(await connection.execute_fetchall(statement, parameters))
    return found


async def plan_each_query(table: type[Table]) -> None:
    """Have PostgreSQL plan each statement of the current transaction for its parameters.

    A bulk import grows a table fast through one pooled connection, whose cached generic
    plans were made when the table was empty: a lookup of 500 keys then scans the table,
    80 ms a batch at 10,000 rows instead of 8 ms. SQLite has no plan cache to mislead.
    """
    if table._meta.db.engine_type == "postgres":
        await _transaction_of(table).connection.execute(
            "SET LOCAL plan_cache_mode = force_custom_plan"
        )


async def refresh_statistics(table: type[Table]) -> None:
    """Have PostgreSQL count the table again, inside the current transaction.

    With no statistics on a column, PostgreSQL reckons that ``name_key IN (500 names)``
    matches the whole table and scans it: 27 ms a batch at 100,000 rows. A bulk write calls
    this each time it has doubled the table, as autovacuum would, but in time for its own
    next batch. SQLite's planner uses the indexes without statistics.
    """
    if table._meta.db.engine_type == "postgres":
        await _transaction_of(table).connection.execute(f'ANALYZE "{table._meta.tablename}"')


async def rows_matching(
    table: type[Table],
    columns: Sequence[Column],
    lookups: Sequence[tuple[Column, Sequence[Any]]],
    limit: int,
) -> list[dict[str, Any]]:
    """The ``columns`` of the rows whose column is one of its values, for each (column,
    values) lookup, at most ``limit`` rows a lookup, in one statement; a row found by two
    lookups comes twice.

    One lookup per indexed column, joined by UNION ALL: PostgreSQL answers an OR of three
    500-value lists with a sequential scan (31 ms among 100,000 learners), each list alone
    through its index (2 ms). The values of a lookup travel as one parameter (a JSON array
    SQLite unpacks, an array PostgreSQL compares with ``= ANY``), not one each: Piccolo's
    ``is_in`` spent 1.6 ms building a 500-key query, seven times what answering it took.
    """
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    parts: list[str] = []
    arguments: list[Any] = []
    for n, (column, values) in enumerate(lookups):
        if not values:
            continue
        target = f'"{column._meta.db_column_name}"'
        if table._meta.db.engine_type == "sqlite":
            condition = f"{target} IN (SELECT value FROM json_each({{}}))"
            arguments.append(json.dumps(list(values)))
        else:
            condition = f"{target} = ANY({{}}::{_ARRAY_TYPE.sub('', column.column_type)}[])"
            arguments.append(list(values))
        parts.append(
            f'SELECT * FROM (SELECT {names} FROM "{table._meta.tablename}"'
            f" WHERE {condition} LIMIT {limit:d}) AS lookup_{n}"
        )
    if not parts:
        return []
    return await table.raw(" UNION ALL ".join(parts), *arguments)
