"""Many rows at once: the write path of bulk imports, and their lookups by key.

Piccolo builds an insert of N rows from N Table instances and passes every value through
its converters: for a batch of 500 learners that was 70% of an import's time. Here the rows
go to the driver with their values as Piccolo would send them (dates and instants as
objects, for which Piccolo registers SQLite's adapters; JSON as text): on SQLite as one
multi-row ``INSERT ... VALUES``, on PostgreSQL through ``COPY`` in asyncpg's binary format
(a JSON document spread by ``json_populate_recordset`` took a third longer than a plain
``executemany``; ``COPY`` is quicker than both), a handful of rows as one ``INSERT``. A
caller that needs the new rows' ids takes them from the table's sequence first, so that each
row's id is known without a ``RETURNING`` clause, which ``COPY`` lacks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from piccolo.columns import Column
from piccolo.table import Table

MAX_PARAMETERS = 32_000
"""Below SQLite's 32,766 parameters per statement (since 3.32)."""
COPY_FROM_ROWS = 10
"""On PostgreSQL, up to this many rows go as one ``INSERT``: ``COPY`` takes two round trips
where an ``INSERT`` takes one, which is what counts for the row or two of a single change."""
_ARRAY_TYPE = re.compile(r"\(.*\)$")
"""A column type's length or precision, which an array cast leaves out: VARCHAR(40)."""


def _transaction_of(table: type[Table]) -> Any:
    transaction = table._meta.db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("bulk writes run inside a transaction")
    return transaction


async def insert_rows(
    table: type[Table], columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``) in the current transaction.

    Raises RuntimeError outside a transaction: a bulk write commits with the rest of its
    batch or not at all.
    """
    if rows:
        await _insert(_transaction_of(table).connection, table, columns, rows)


async def insert_numbered_rows(
    table: type[Table], columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """``insert_rows``, returning the id each row was given, in the order of ``rows``."""
    if not rows:
        return []
    connection = _transaction_of(table).connection
    ids = await _next_ids(connection, table, len(rows))
    await _insert(
        connection,
        table,
        [table._meta.primary_key, *columns],
        [(row_id, *row) for row_id, row in zip(ids, rows, strict=True)],
    )
    return ids


async def _next_ids(connection: Any, table: type[Table], count: int) -> list[int]:
    """``count`` ids no row of ``table`` has: from its sequence on PostgreSQL; on SQLite,
    those after the largest, as SQLite numbers rows itself. SQLite's transactions are
    serializable: should another writer commit rows after this one read the largest id,
    this transaction's write fails whole rather than reuse an id."""
    name = table._meta.tablename
    key = table._meta.primary_key._meta.db_column_name
    if table._meta.db.engine_type == "sqlite":
        (found,) = await connection.execute_fetchall(
            f'SELECT coalesce(max("{key}"), 0) AS largest FROM "{name}"'
        )
        first = found["largest"] + 1
        return list(range(first, first + count))
    rows = await connection.fetch(
        "SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)",
        f'"{name}"',
        key,
        count,
    )
    return [row[0] for row in rows]


async def _insert(
    connection: Any, table: type[Table], columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    names = [column._meta.db_column_name for column in columns]
    postgres = table._meta.db.engine_type == "postgres"
    if postgres and len(rows) > COPY_FROM_ROWS:
        await connection.copy_records_to_table(table._meta.tablename, records=rows, columns=names)
        return
    quoted = ", ".join(f'"{name}"' for name in names)
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    for first in range(0, len(rows), per_statement):
        chunk = rows[first : first + per_statement]
        values = ", ".join(_row(len(chunk), len(columns), postgres))
        statement = f'INSERT INTO "{table._meta.tablename}" ({quoted}) VALUES {values}'
        flat = [value for row in chunk for value in row]
        await (
            connection.execute(statement, *flat)
            if postgres
            else connection.execute(statement, flat)
        )


def _row(count: int, width: int, postgres: bool) -> list[str]:
    """The ``VALUES`` tuples of ``count`` rows of ``width`` values: ``$n`` placeholders on
    PostgreSQL, ``?`` on SQLite."""
    if not postgres:
        return [f"({', '.join('?' * width)})"] * count
    return [
        f"({', '.join(f'${row * width + column + 1}' for column in range(width))})"
        for row in range(count)
    ]


async def prefer_indexes(table: type[Table]) -> None:
    """Have PostgreSQL look rows up through their indexes for the rest of the current
    transaction, whatever it believes of the table's size.

    A bulk import grows a table faster than its statistics and its connection's cached
    plans follow: planned for the empty table, a lookup of 500 keys scans it (80 ms a batch
    at 10,000 rows instead of 8 ms). Planning each statement again and refreshing the
    statistics each time the table had doubled cost a tenth of a 100,000-row import; a
    bulk write's lookups are by indexed keys, for which an index is always the way. SQLite's
    planner uses the indexes without statistics.
    """
    if table._meta.db.engine_type == "postgres":
        await _transaction_of(table).connection.execute("SET LOCAL enable_seqscan = off")


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
