"""DESIGN: core never names a program. No string in core's code holds the key of a built-in
program, of an installed plugin's program or of the outside plugin's, as a word.

Read from the syntax tree: docstrings (of modules, classes, functions and attributes, that is
every string standing alone as a statement) and comments may name a program to explain;
every other string constant, f-string parts included, may not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from core.plugins import load_plugins
from tests.fixtures import outside_plugin

ROOT = Path(__file__).resolve().parents[2]
BUILT_INS = ("digital", "digistart", "digitous")
"""The built-in programs, named here even when they are not installed."""


def program_keys() -> set[str]:
    """The built-ins', every installed plugin's and the outside plugin's program keys."""
    installed = {program.key for program in load_plugins().programs()}
    outside = {program.key for program in outside_plugin().essaim_register_programs()}
    return {*BUILT_INS, *installed, *outside}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that stand alone as statements."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def named_programs(path: Path, keys: Collection[str]) -> Iterator[str]:
    """``file:line: 'key'`` for each string constant of ``path`` holding a key as a word."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(keys))) + r")\b")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = _docstrings(tree)
    strings = sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    )
    for line, text in strings:
        for match in pattern.finditer(text):
            yield f"{path.as_posix()}:{line}: {match.group(1)!r}"


def core_files(root: Path) -> list[Path]:
    return sorted((root / "core").rglob("*.py"))


def test_core_holds_no_program_key_as_a_string() -> None:
    keys = program_keys()
    assert {*BUILT_INS, "robotique"} <= keys
    found = [hit for path in core_files(ROOT) for hit in named_programs(path, keys)]
    assert found == []


def test_the_scan_reads_all_of_core() -> None:
    files = {path.relative_to(ROOT).as_posix() for path in core_files(ROOT)}
    assert {"core/app.py", "core/plugins.py", "core/plugin/testing/programs.py"} <= files


def test_the_scan_flags_strings_and_spares_docstrings_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "sneaky.py"
    path.write_text(
        '"""Module docstring: digital is fine here."""\n'
        "# A comment naming digital is fine.\n"
        "KEY = 'digital'\n"  # 3
        '"""An attribute docstring naming digistart."""\n'
        "def f(track):\n"
        '    """Docstring naming digitous."""\n'
        "    return f'{track} of digitous'\n"  # 7
        "LABELS = {'Prefix digistart_x': 1, 'digitalisation': 2, 'a digital skill': 3}\n",  # 8
        encoding="utf-8",
    )
    assert list(named_programs(path, BUILT_INS)) == [
        f"{path.as_posix()}:3: 'digital'",
        f"{path.as_posix()}:7: 'digitous'",
        f"{path.as_posix()}:8: 'digital'",
    ]
