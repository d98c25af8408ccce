"""DESIGN: a plugin imports only the ``core.plugin`` package from core, never another plugin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
PLUGIN_NAMES = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file())


def _imports(path: Path, root: Path) -> list[str]:
    """The absolute names of the modules that ``path`` imports, relative imports resolved."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            names.append(".".join((*base, *([node.module] if node.module else []))))
    return names


def _violations(plugin_dir: Path) -> list[str]:
    """Every import in ``plugin_dir`` of core other than ``core.plugin``, or of another plugin."""
    root = plugin_dir.parent.parent
    own = ("plugins", plugin_dir.name)
    bad = []
    for path in sorted(plugin_dir.rglob("*.py")):
        for module in _imports(path, root):
            parts = tuple(module.split("."))
            if (parts[0] == "core" and parts[:2] != ("core", "plugin")) or (
                parts[0] == "plugins" and parts[:2] != own
            ):
                bad.append(f"{path.relative_to(root)}: {module}")
    return bad


@pytest.mark.parametrize("plugin", PLUGIN_NAMES)
def test_plugin_imports_only_core_plugin_and_itself(plugin: str) -> None:
    assert _violations(PLUGINS / plugin) == []


def test_the_check_catches_core_internals_and_sibling_plugins(tmp_path: Path) -> None:
    plugin = tmp_path / "plugins" / "acme"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(
        "from core.plugin import hookimpl\n"
        "from core.plugin.services import record_result\n"
        "from core.plugins import load_plugins\n"
        "from core.sites.schema import SiteFile\n"
        "from plugins.acme.rules import x\n"
        "from . import rules\n"
        "from ..digital import curriculum\n"
        "import plugins.digital\n"
    )
    assert _violations(plugin) == [
        "plugins/acme/__init__.py: core.plugins",
        "plugins/acme/__init__.py: core.sites.schema",
        "plugins/acme/__init__.py: plugins.digital",
        "plugins/acme/__init__.py: plugins.digital",
    ]


def test_the_three_built_in_plugins_are_checked() -> None:
    assert {"digital", "digistart", "digitous"} <= set(PLUGIN_NAMES)
