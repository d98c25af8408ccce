"""Which async handler runs each kind of job."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, TypeAlias

Handler: TypeAlias = Callable[[dict[str, Any]], Awaitable[None]]
"""Runs one job from its payload (ids only). Delivery is at least once: be idempotent."""

MAX_KIND_LENGTH = 64
"""The width of ``Job.kind``."""


class JobError(Exception):
    """A handler failure whose message is safe to store and log: ids only, no personal data.

    Any other exception is recorded by its class name alone, since its message may quote
    personal data.
    """


class UnknownJobKind(JobError, LookupError):
    """No handler is registered for a job's kind (an older worker, or a plugin not installed)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown job kind {kind!r}")
        self.kind = kind


def check_kind(kind: str) -> str:
    """``kind`` itself if it fits the jobs table, else ValueError."""
    if not kind or len(kind) > MAX_KIND_LENGTH or kind != kind.strip():
        raise ValueError(f"a job kind has 1 to {MAX_KIND_LENGTH} characters and no outer spaces")
    return kind


class JobRegistry:
    """A mapping from job kind to its handler, filled once at start-up."""

    def __init__(self, handlers: Mapping[str, Handler] | None = None) -> None:
        self._handlers: dict[str, Handler] = {}
        for kind, handler in (handlers or {}).items():
            self.register(kind, handler)

    def register(self, kind: str, handler: Handler) -> None:
        """Add the handler for ``kind``; a kind has exactly one handler."""
        if check_kind(kind) in self._handlers:
            raise ValueError(f"job kind {kind!r} already has a handler")
        self._handlers[kind] = handler

    def handler_for(self, kind: str) -> Handler:
        """The handler for ``kind``; UnknownJobKind when there is none."""
        try:
            return self._handlers[kind]
        except KeyError:
            raise UnknownJobKind(kind) from None

    def __contains__(self, kind: object) -> bool:
        return kind in self._handlers

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._handlers))

    def __len__(self) -> int:
        return len(self._handlers)
