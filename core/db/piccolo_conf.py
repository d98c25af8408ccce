"""Piccolo's configuration module, named by ``PICCOLO_CONF=core.db.piccolo_conf``.

Essaim sets ``DB`` and ``APP_REGISTRY`` at run time (``core.db.engine.bind``) from its
settings and installed plugins. When the ``piccolo`` command reads this module
before that (to write a migration, say), they are built from the environment.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name not in ("DB", "APP_REGISTRY"):
        raise AttributeError(name)
    from core.db.engine import bind, make_engine
    from core.plugins import load_plugins
    from core.settings import Settings

    settings = Settings.from_env()
    bind(make_engine(settings), load_plugins(load_entrypoints=settings.load_entrypoints))
    return globals()[name]
