"""Attestation numbers: ``PARIS-2026-0001``, one series per site and calendar year.

The counter row is incremented with one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``
inside the caller's transaction: on PostgreSQL concurrent completions queue on the row, on
SQLite on the database's write lock, so no two attestations share a number and none is
skipped when a transaction rolls back.
"""

from __future__ import annotations

from core.completion.tables import AttestationCounter

_NEXT = (
    "INSERT INTO attestation_counter (site, year, last) VALUES ({}, {}, 1) "
    "ON CONFLICT (site, year) DO UPDATE SET last = attestation_counter.last + 1 "
    "RETURNING last"
)


def attestation_number(site: str, year: int, sequence: int) -> str:
    """``attestation_number("paris", 2026, 1) == "PARIS-2026-0001"``."""
    return f"{site.upper()}-{year}-{sequence:04d}"


async def next_attestation_number(site: str, year: int) -> str:
    """The next number of ``site``'s series for ``year``; call it inside a transaction."""
    rows = await AttestationCounter.raw(_NEXT, site, year)
    return attestation_number(site, year, int(rows[0]["last"]))
