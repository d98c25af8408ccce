"""DESIGN, "Dependency rules": core never imports a plugin, and no plugin imports another.

``tests/plugins/test_plugin_imports.py`` checks each built-in folder against core: only
``core.plugin``. This module checks the two other directions. Plugins are known by the module
each one registers in the ``essaim`` entry-point group (of this project and of the outside
plugin fixture), so that a plugin that is not under ``plugins/`` counts as much as a built-in.
Imports are read from the syntax tree: every ``import`` and ``from ... import`` anywhere in a
file (functions and ``TYPE_CHECKING`` blocks included), relative ones resolved. Dotted paths in
strings (``"acme_essaim.piccolo_app"``, ``importlib.import_module``) are not imports.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures import OUTSIDE_PLUGIN

ROOT = Path(__file__).resolve().parents[2]
BUILT_INS = "plugins"
"""The package that holds the built-in plugins: core may not import it, in any form."""


@dataclass(frozen=True)
class PluginSource:
    """A plugin as its project declares it: entry-point name, module, and where its code is."""

    name: str
    module: str
    root: Path
    """The folder the module's dotted path is relative to (the project, or its ``src``)."""

    @property
    def directory(self) -> Path:
        return self.root.joinpath(*self.module.split("."))


def declared_plugins(project: Path) -> list[PluginSource]:
    """The ``essaim`` entry points of the project at ``project``, with their source folders."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    found = []
    for name, target in data["project"]["entry-points"]["essaim"].items():
        module = target.partition(":")[0]
        root = next(
            base
            for base in (project, project / "src")
            if base.joinpath(*module.split(".")).is_dir()
        )
        found.append(PluginSource(name=name, module=module, root=root))
    return found


PLUGINS = [*declared_plugins(ROOT), *declared_plugins(OUTSIDE_PLUGIN)]


def imported_names(path: Path, root: Path) -> Iterator[tuple[int, list[str]]]:
    """Each import statement of ``path`` as its line and the absolute modules it may load.

    ``from X import a`` may load ``X`` and, when ``a`` is a submodule, ``X.a``: both are listed.
    """
    package = path.relative_to(root).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, [alias.name]
        elif isinstance(node, ast.ImportFrom):
            base = package[: max(len(package) - node.level + 1, 0)] if node.level else ()
            module = ".".join((*base, *([node.module] if node.module else [])))
            names = [module] if module else []
            names += [
                f"{module}.{alias.name}" if module else alias.name
                for alias in node.names
                if alias.name != "*"
            ]
            yield node.lineno, names


def within(name: str, package: str) -> bool:
    """True when module ``name`` is ``package`` or inside it (``pluginsx`` is not ``plugins``)."""
    return name == package or name.startswith(package + ".")


def forbidden_imports(directory: Path, root: Path, forbidden: Collection[str]) -> list[str]:
    """``file:line: module`` for every import in ``directory`` of a module in ``forbidden``."""
    found = []
    for path in sorted(directory.rglob("*.py")):
        for line, names in imported_names(path, root):
            hit = next(
                (name for name in names if any(within(name, bad) for bad in forbidden)), None
            )
            if hit is not None:
                found.append(f"{path.relative_to(root).as_posix()}:{line}: {hit}")
    return found


def core_violations(root: Path, plugins: Collection[PluginSource]) -> list[str]:
    """Imports by ``root/core`` of the built-ins' package or of any declared plugin."""
    forbidden = {BUILT_INS, *(plugin.module for plugin in plugins)}
    return forbidden_imports(root / "core", root, forbidden)


def cross_plugin_violations(plugins: Collection[PluginSource]) -> list[str]:
    """Imports by each plugin of another plugin's module."""
    found = []
    for plugin in plugins:
        others = {other.module for other in plugins if other.module != plugin.module}
        found += forbidden_imports(plugin.directory, plugin.root, others)
    return found


def test_core_imports_no_plugin() -> None:
    assert core_violations(ROOT, PLUGINS) == []


def test_no_plugin_imports_another() -> None:
    assert cross_plugin_violations(PLUGINS) == []


def test_every_plugin_and_all_of_core_are_scanned() -> None:
    # A scan that reads nothing passes every check: make sure it reads what it should.
    assert {plugin.name for plugin in PLUGINS} == {"digital", "digistart", "digitous", "acme"}
    for plugin in PLUGINS:
        assert (plugin.directory / "__init__.py").is_file(), plugin
    core_files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "core").rglob("*.py")}
    assert {"core/app.py", "core/plugins.py", "core/cohorts/service.py"} <= core_files
    assert sum(len(list(imported_names(ROOT / f, ROOT))) for f in core_files) > 100


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_core_scan_flags_every_form_of_import(tmp_path: Path) -> None:
    _write(tmp_path / "core" / "__init__.py", "")
    _write(
        tmp_path / "core" / "sneaky.py",
        "from __future__ import annotations\n"
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "import plugins\n"  # 4
        "import os, plugins.digital as digital\n"  # 5
        "from plugins import digitous\n"  # 6
        "from plugins.digistart.program import Digistart\n"  # 7
        "from .. import plugins as built_ins\n"  # 8: resolves to the top-level package
        "if TYPE_CHECKING:\n"
        "    from acme_essaim.tables import KitLoan\n"  # 10
        "def later():\n"
        "    import acme_essaim\n"  # 12
        # Allowed: core's own plugin manager, a look-alike name, a dotted path in a string.
        "from core import plugins as manager\n"
        "from . import plugins as same_manager\n"
        "import pluginsx\n"
        "importlib.import_module('plugins.digital')\n",
    )
    acme = PluginSource(name="acme", module="acme_essaim", root=tmp_path)
    assert core_violations(tmp_path, [acme]) == [
        "core/sneaky.py:4: plugins",
        "core/sneaky.py:5: plugins.digital",
        "core/sneaky.py:6: plugins",
        "core/sneaky.py:7: plugins.digistart.program",
        "core/sneaky.py:8: plugins",
        "core/sneaky.py:10: acme_essaim.tables",
        "core/sneaky.py:12: acme_essaim",
    ]


def test_the_plugin_scan_flags_imports_of_siblings_only(tmp_path: Path) -> None:
    _write(tmp_path / "plugins" / "__init__.py", "")
    _write(tmp_path / "plugins" / "beta" / "__init__.py", "")
    _write(tmp_path / "plugins" / "beta" / "rules.py", "")
    _write(
        tmp_path / "plugins" / "alpha" / "__init__.py",
        "from core.plugin import hookimpl\n"
        "from plugins.alpha import rules\n"
        "from . import rules as same\n"
        "from plugins.beta import rules as theirs\n"  # 4
        "from ..beta import rules as relative\n"  # 5
        "import acme_essaim.program\n",  # 6
    )
    _write(tmp_path / "acme_essaim" / "__init__.py", "from plugins import alpha\n")
    plugins = [
        PluginSource(name="alpha", module="plugins.alpha", root=tmp_path),
        PluginSource(name="beta", module="plugins.beta", root=tmp_path),
        PluginSource(name="acme", module="acme_essaim", root=tmp_path),
    ]
    assert cross_plugin_violations(plugins) == [
        "plugins/alpha/__init__.py:4: plugins.beta",
        "plugins/alpha/__init__.py:5: plugins.beta",
        "plugins/alpha/__init__.py:6: acme_essaim.program",
        "acme_essaim/__init__.py:1: plugins.alpha",
    ]


@pytest.mark.parametrize(
    ("name", "package", "expected"),
    [
        ("plugins", "plugins", True),
        ("plugins.digital.rules", "plugins", True),
        ("pluginsx", "plugins", False),
        ("core.plugins", "plugins", False),
    ],
)
def test_within_compares_whole_dotted_names(name: str, package: str, expected: bool) -> None:
    assert within(name, package) is expected
