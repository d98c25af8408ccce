"""Helpers for the raw SQL of hot paths.

Piccolo builds a ``select`` anew on every call: 150 to 300 µs of Python for one statement,
more with joins, against some 10 µs for ``Table.raw`` with a fixed text. The statements a
request sends many times a second (a roster, an enrolment and the report facts it keeps)
are therefore written once as SQL with Piccolo's ``{}`` placeholders, which both engines
take.
"""


def placeholders(count: int) -> str:
    """``{}, {}, ...``: ``count`` placeholders for a raw ``IN (...)`` list or ``VALUES``."""
    return ", ".join("{}" for _ in range(count))


def summed_minutes(engine_type: str, starts: str = "{}", ends: str = "{}") -> str:
    """SQL for the whole minutes from time ``starts`` to time ``ends`` (two SQL expressions;
    placeholders by default, whose values then come ``ends`` first), summed over the rows:
    each engine has its own time arithmetic. SQLite stores times as ``HH:MM:SS`` text, which
    ``strftime`` reads as seconds of 2000-01-01."""
    if engine_type == "postgres":
        seconds = f"EXTRACT(EPOCH FROM ({ends} - {starts}))"
    else:
        seconds = f"strftime('%s', {ends}) - strftime('%s', {starts})"
    return f"CAST(COALESCE(SUM({seconds}), 0) / 60 AS INTEGER)"
