"""``core.import_checking``: a file's batches checked one ahead of the import, in a thread or,
for a large file, in a process of its own, with the same batches either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import import_checking
from core.import_checking import checked_batches
from core.sheets import Row, SheetError

HEADER = "first_name,last_name,gender,birth_date"


def lines_of(batch: list[Row]) -> list[int]:
    """A check that keeps what the tests compare: each row's line."""
    return [row.line for row in batch]


def write(path: Path, rows: int, tail: bytes = b"") -> Path:
    text = "\n".join([HEADER, *(f"Prénom{i},Nom{i},female,1990-01-01" for i in range(rows))])
    path.write_bytes((text + "\n").encode() + tail)
    return path


async def read_all(path: Path, size: int = 25) -> list[list[int]]:
    async with checked_batches(path, lines_of, size) as batches:
        return [batch async for batch in batches]


@pytest.fixture(params=["thread", "process"])
def way(request, monkeypatch) -> str:
    """Each test both ways: a process for every file, or never."""
    monkeypatch.setattr(
        import_checking, "PROCESS_FROM_BYTES", 0 if request.param == "process" else 10**12
    )
    return request.param


async def test_every_row_comes_once_in_order_in_whole_batches(way, tmp_path):
    batches = await read_all(write(tmp_path / "liste.csv", 60))
    assert [len(batch) for batch in batches] == [25, 25, 10]
    assert [line for batch in batches for line in batch] == list(range(2, 62))


async def test_an_error_halfway_comes_after_the_batches_read_before_it(way, tmp_path):
    # Past the reader's first chunks of text, so that whole batches come before the error.
    broken = write(tmp_path / "coupe.csv", 1000, "Léa,Martin,female\n".encode("latin-1"))
    received: list[list[int]] = []
    with pytest.raises(SheetError, match=r"coupe\.csv is not UTF-8 text"):
        async with checked_batches(broken, lines_of, 25) as batches:
            async for batch in batches:
                received.append(batch)
    assert len(received) >= 20 and all(len(batch) == 25 for batch in received)


async def test_leaving_early_stops_the_checking(way, tmp_path, monkeypatch):
    started = []
    real = import_checking.multiprocessing.get_context

    def spying(method: str):
        context = real(method)
        original = context.Process

        def process(*args, **kwargs):
            started.append(original(*args, **kwargs))
            return started[-1]

        context.Process = process  # type: ignore[method-assign]
        return context

    monkeypatch.setattr(import_checking.multiprocessing, "get_context", spying)
    async with checked_batches(write(tmp_path / "long.csv", 5000), lines_of, 25) as batches:
        async for _ in batches:
            break
    assert len(started) == (1 if way == "process" else 0)
    assert not any(checker.is_alive() for checker in started)
