"""Plugins found through the real ``essaim`` entry-point group, next to the installed built-ins.

Moved from tests/core/test_plugin_contract.py: they read the group itself (core's tests run with
it emptied or holding the toy program alone), and the second names a built-in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.plugins import PluginError, load_plugins


def _fake_distribution(folder: Path, dist: str, entry_points: dict[str, str]) -> None:
    """A distribution as an installer leaves it: metadata and entry points, no build."""
    info = folder / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[essaim]\n{lines}")


def test_an_entry_point_that_fails_to_import_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_distribution(tmp_path, "broken-plugin", {"broken": "broken_plugin"})
    (tmp_path / "broken_plugin.py").write_text("import a_dependency_never_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError) as raised:
        load_plugins()
    assert str(raised.value) == (
        "plugin 'broken' (broken_plugin) could not be loaded: "
        "No module named 'a_dependency_never_installed'"
    )


def test_an_entry_point_name_declared_twice_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keeping one of the two silently would pick a plugin by its place on sys.path.
    _fake_distribution(tmp_path, "fake-digital", {"digital": "fake_digital"})
    (tmp_path / "fake_digital.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError) as raised:
        load_plugins()
    message = str(raised.value)
    assert message.startswith("plugin name 'digital' is declared twice: by ")
    assert "fake_digital from fake-digital" in message
    assert "plugins.digital from essaim" in message
