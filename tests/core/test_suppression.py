"""Secondary suppression leaves no hidden count recoverable from a published sum."""

from __future__ import annotations

import itertools
import random

from core.reporting.suppression import SAFE_HIDDEN_TOTAL, Hidden, Lattice, suppress


def _tables(finest: dict[tuple[str, str], int]) -> dict[tuple[str, ...], dict[tuple, int]]:
    """A site x program table with its margins and total, as the report publishes them."""
    tables: dict[tuple[str, ...], dict[tuple, int]] = {
        ("site", "program"): dict(finest),
        ("site",): {},
        ("program",): {},
        (): {(): sum(finest.values())},
    }
    for (site, program), value in finest.items():
        tables[("site",)][(site,)] = tables[("site",)].get((site,), 0) + value
        tables[("program",)][(program,)] = tables[("program",)].get((program,), 0) + value
    return tables


def test_a_lone_small_cell_takes_the_smallest_sibling_with_it():
    tables = _tables({("paris", "a"): 3, ("paris", "b"): 40, ("lyon", "a"): 20, ("lyon", "b"): 7})
    hidden = suppress(tables)
    assert hidden[(("site", "program"), ("paris", "a"))] is Hidden.SMALL
    # Paris = 43 is published: 3 must not be 43 - 40, so 40 goes too; the column a (23) then
    # needs a second hidden cell: Lyon's 20.
    assert hidden[(("site", "program"), ("paris", "b"))] is Hidden.COMPLEMENT
    assert hidden[(("site", "program"), ("lyon", "a"))] is Hidden.COMPLEMENT
    assert (((), ())) not in hidden


def test_nothing_is_hidden_when_every_count_is_five_or_more():
    assert suppress(_tables({("paris", "a"): 5, ("lyon", "a"): 9})) == {}


def test_zero_is_published():
    hidden = suppress(_tables({("paris", "a"): 0, ("lyon", "a"): 12}))
    assert hidden == {}


def test_random_tables_leave_every_published_sum_safe():
    rng = random.Random(20261126)
    for _ in range(300):
        sites = [f"s{n}" for n in range(rng.randint(1, 4))]
        programs = [f"p{n}" for n in range(rng.randint(1, 3))]
        finest = {
            cell: rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40])
            for cell in itertools.product(sites, programs)
        }
        tables = _tables(finest)
        hidden = suppress(tables)
        for grouping, cells in tables.items():
            for key, value in cells.items():
                if 0 < value < 5:
                    assert hidden.get((grouping, key)) is Hidden.SMALL
        lattice = Lattice(tables)
        for parent, children in lattice.sums:
            if lattice.cells[parent] in hidden:
                continue
            concealed = [lattice.cells[c] for c in children if lattice.cells[c] in hidden]
            if concealed:
                total = sum(tables[g][k] for g, k in concealed)
                assert len(concealed) >= 2 and total >= SAFE_HIDDEN_TOTAL, (finest, parent)
