"""A problem the contract test kit found, worded so that the plugin's author knows what to fix."""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One breach of the contract: which check, where (plugin, program, track, unit, hook),
    and what is wrong with what to do about it."""

    check: str
    """The check that found it: one of ``core.plugin.testing.CHECKS``."""
    where: str
    """``"plugin 'acme', program 'robotique', track 'decouverte'"``."""
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def where(
    plugin: str,
    *,
    program: str | None = None,
    track: str | None = None,
    unit: str | None = None,
    hook: str | None = None,
) -> str:
    """The place of a problem, from the plugin down to the unit, and the hook if one is at fault."""
    parts = [f"plugin {plugin!r}"]
    parts += [
        f"{label} {value!r}"
        for label, value in (("program", program), ("track", track), ("unit", unit))
        if value is not None
    ]
    if hook is not None:
        parts.append(f"hook {hook}")
    return ", ".join(parts)
