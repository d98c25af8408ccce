"""French department codes, so that a site file names a real one (public holidays depend on it)."""

from __future__ import annotations

METROPOLITAN = frozenset([f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"])
OVERSEAS = frozenset({"971", "972", "973", "974", "976"})
DEPARTMENTS = METROPOLITAN | OVERSEAS

ALSACE_MOSELLE = frozenset({"57", "67", "68"})
"""Departments with two extra public holidays (Good Friday and 26 December)."""
