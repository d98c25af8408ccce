"""What a running Essaim holds: settings, plugins, sites and clock, built once by the factory."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import State

from core.clock import Clock
from core.plugins import PluginHost
from core.settings import Settings
from core.sites.loader import SiteRegistry


@dataclass(frozen=True, slots=True)
class Runtime:
    """The app's collaborators, handed to controllers as the ``runtime`` dependency."""

    settings: Settings
    host: PluginHost
    sites: SiteRegistry
    clock: Clock


def provide_runtime(state: State) -> Runtime:
    """The runtime stored on the app's state by ``create_app``."""
    return state.runtime
