"""ESSAIM_TRACE_PLUGINS: every hook call logged with its plugin, hook and duration."""

import structlog
from structlog.testing import capture_logs

from core.plugins import load_plugins
from tests.toy_program import AtelierPlugin


def _calls(trace: bool) -> list[tuple[str, str, str]]:
    host = load_plugins(load_entrypoints=False, plugins=[("atelier", AtelierPlugin())], trace=trace)
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        host.programs()
    return [(e["event"], e["plugin"], e["hook"]) for e in logs if "ms" in e]


def test_tracing_logs_each_hook_call_with_its_plugin():
    assert _calls(trace=True) == [("plugin_hook_called", "atelier", "essaim_register_programs")]


def test_without_tracing_hook_calls_are_silent():
    assert _calls(trace=False) == []
