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
