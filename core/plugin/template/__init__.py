"""The plugin generator behind ``essaim plugins new NAME``: a working plugin package from the
templates in ``files/``.

Each ``*.tmpl`` file is a ``string.Template``; ``__module__`` in a path is the package's
name. The result installs beside Essaim, passes the contract test kit and its own tests as
generated, and is the starting point of docs/plugins.md's walk-through.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import msgspec

from core.plugin import Key

FILES = Path(__file__).parent / "files"
SUFFIX = ".tmpl"


class PluginNameError(ValueError):
    """The name is not a program key, or is taken."""


def check_name(name: str) -> None:
    """Raise PluginNameError unless ``name`` is a program key (``Key``)."""
    try:
        msgspec.convert(name, Key)
    except msgspec.ValidationError:
        raise PluginNameError(
            f"{name!r} is not a plugin name: a lowercase letter, then lowercase letters, digits "
            "or underscores, 2 to 32 in all (such as 'atelier_web'); it is also the program key"
        ) from None


def names(name: str) -> dict[str, str]:
    """What the templates fill in: the key, the package, the distribution, the class, the title."""
    return {
        "name": name,
        "module": f"essaim_{name}",
        "dist": f"essaim-{name.replace('_', '-')}",
        "klass": "".join(part.capitalize() for part in name.split("_")),
        "title": name.replace("_", " ").upper(),
    }


def default_folder(name: str) -> Path:
    """``./essaim-NAME``, where ``essaim plugins new NAME`` writes without ``--into``."""
    return Path(names(name)["dist"])


def render_plugin(name: str, into: Path) -> list[Path]:
    """Write the plugin ``name`` into the folder ``into`` (made; it must not hold files yet)
    and return the files written, relative to it."""
    check_name(name)
    if into.exists() and any(into.iterdir()):
        raise FileExistsError(f"{into} already exists and is not empty")
    values = names(name)
    written = []
    for source in sorted(FILES.rglob(f"*{SUFFIX}")):
        relative = source.relative_to(FILES).as_posix().replace("__module__", values["module"])
        target = into / relative.removesuffix(SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Template(source.read_text(encoding="utf-8")).substitute(values)
        target.write_text(text, encoding="utf-8")
        written.append(target.relative_to(into))
    return written
