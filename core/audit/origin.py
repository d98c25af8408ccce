"""Where the work being audited comes from: the client's address and the request's id for a
request, ``system`` otherwise, with the clock that dates it. Set once per request by
``core.requestid``; each request runs in its own task, so one never sees another's."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from core.clock import Clock, SystemClock


@dataclass(frozen=True, slots=True)
class Origin:
    """The address an audited action came from, its request id, and the app's clock."""

    source: str
    request_id: str = ""
    clock: Clock = field(default_factory=SystemClock)


SYSTEM = Origin(source="system")
"""Work done by Essaim itself: the command line, the worker, the demo."""
_ORIGIN: ContextVar[Origin] = ContextVar("essaim_audit_origin", default=SYSTEM)


def current_origin() -> Origin:
    """The origin of the work under way."""
    return _ORIGIN.get()


def set_origin(origin: Origin) -> None:
    """Make ``origin`` the current task's (the request middleware calls it)."""
    _ORIGIN.set(origin)
