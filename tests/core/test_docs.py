"""The docs keep up with the code: hooks, their tests, environment variables, CLI commands.

Each check reads the code, not a list kept by hand, so that a new hook, variable or command
fails here until it is documented (datasette's ``tests/test_docs.py``).
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import click
import pytest

from core import hookspecs
from core.cli import main
from core.plugin import PROJECT_NAME
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"
SETTINGS_MODULE = ROOT / "core" / "settings.py"


def _hookspecs() -> dict[str, object]:
    """Every function of ``core.hookspecs`` marked as a hookspec, by name."""
    marker = f"{PROJECT_NAME}_spec"
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, marker)
    }


HOOKS = sorted(_hookspecs())


def _annotation(value: object) -> str:
    """An annotation as written: hookspecs use ``from __future__ import annotations``."""
    assert isinstance(value, str), f"expected a string annotation, got {value!r}"
    return value


def expected_signature(name: str) -> str:
    """The hookspec's ``def`` line, as docs/plugins.md must show it."""
    signature = inspect.signature(_hookspecs()[name])
    params = []
    for param in signature.parameters.values():
        text = param.name
        if param.annotation is not inspect.Parameter.empty:
            text += f": {_annotation(param.annotation)}"
        if param.default is not inspect.Parameter.empty:
            text += f" = {param.default!r}"
        params.append(text)
    returns = ""
    if signature.return_annotation is not inspect.Signature.empty:
        returns = f" -> {_annotation(signature.return_annotation)}"
    return f"def {name}({', '.join(params)}){returns}:"


def _section(text: str, heading: str) -> str:
    """The body under ``heading`` (a whole heading line) up to the next heading of its level
    or above; ``#`` lines inside fenced code blocks are not headings."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    assert heading in lines, f"missing heading {heading!r}"
    start = lines.index(heading) + 1
    end = len(lines)
    in_code = False
    for index in range(start, len(lines)):
        line = lines[index]
        if line.startswith("```"):
            in_code = not in_code
            continue
        hashes = len(line) - len(line.lstrip("#"))
        if not in_code and 0 < hashes <= level and line[hashes:].startswith(" "):
            end = index
            break
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def hook_reference() -> str:
    return _section((DOCS / "plugins.md").read_text(encoding="utf-8"), "## Hook reference")


def test_the_contract_has_hooks() -> None:
    assert "essaim_register_programs" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_exact_signature(hook: str, hook_reference: str) -> None:
    section = _section(hook_reference, f"### `{hook}`")
    lines = [line.strip() for line in section.splitlines()]
    assert expected_signature(hook) in lines, (
        f"docs/plugins.md, section {hook}, must show: {expected_signature(hook)}"
    )


def test_the_hook_reference_documents_no_unknown_hook(hook_reference: str) -> None:
    documented = re.findall(r"^### `(essaim_\w+)`", hook_reference, flags=re.MULTILINE)
    assert sorted(set(documented) - set(HOOKS)) == []
    assert len(documented) == len(set(documented)), "a hook is documented twice"


def _collected_test_names(path: Path) -> Iterator[str]:
    """Names pytest would collect: module-level ``test_*`` functions and those of ``Test*``
    classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions):
            yield node.name
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from (item.name for item in node.body if isinstance(item, functions))


def _test_names() -> set[str]:
    files = {*TESTS.rglob("test_*.py"), *TESTS.rglob("*_test.py")}
    return {
        name
        for path in sorted(files)
        for name in _collected_test_names(path)
        if name.startswith("test_")
    }


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_after_it(hook: str) -> None:
    prefix = f"test_{hook}"
    named = sorted(n for n in _test_names() if n == prefix or n.startswith(f"{prefix}_"))
    assert named, f"no test under tests/ is named {prefix} or {prefix}_..."


class _Recorder(Mapping[str, str]):
    """An empty environment that remembers every variable looked up in it."""

    def __init__(self) -> None:
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        raise KeyError(key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.read.add(key)
        return default

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _settings_variables() -> set[str]:
    """``ESSAIM_*`` names written in core/settings.py, plus those ``from_env`` looks up."""
    tree = ast.parse(SETTINGS_MODULE.read_text(encoding="utf-8"))
    written = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"ESSAIM_[A-Z0-9_]+", node.value)
    }
    recorder = _Recorder()
    Settings.from_env(recorder)
    return written | {name for name in recorder.read if name.startswith("ESSAIM_")}


SETTINGS_VARIABLES = sorted(_settings_variables())


def test_settings_read_variables() -> None:
    assert "ESSAIM_DATABASE_URL" in SETTINGS_VARIABLES


@pytest.mark.parametrize("variable", SETTINGS_VARIABLES)
def test_every_settings_variable_is_in_the_deploy_table(variable: str) -> None:
    deploy = (DOCS / "deploy.md").read_text(encoding="utf-8")
    row = re.compile(rf"^\|\s*`{re.escape(variable)}`\s*\|", flags=re.MULTILINE)
    assert row.search(deploy), f"docs/deploy.md has no table row for `{variable}`"


def _commands(group: click.Group, prefix: str = "essaim") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = dict(_commands(main))


def test_the_cli_has_commands() -> None:
    assert "essaim serve" in COMMANDS


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_cli_command_and_option_is_documented(path: str) -> None:
    cli_doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    headings = [f"{'#' * level} `{path}`" for level in (2, 3)]
    found = [heading for heading in headings if heading in cli_doc.splitlines()]
    assert found, f"docs/cli.md has no heading for `{path}`"
    section = _section(cli_doc, found[0])
    for param in COMMANDS[path].params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert f"`{longest}" in section, f"docs/cli.md, `{path}`: option {longest} missing"


def test_every_access_rule_is_in_the_access_doc():
    from core.auth import access

    rules = [name for name, value in vars(access).items() if isinstance(value, access.Access)]
    text = (DOCS / "access.md").read_text(encoding="utf-8")
    assert rules, "core.auth.access defines rules"
    assert [name for name in rules if f"`{name}`" not in text] == []
