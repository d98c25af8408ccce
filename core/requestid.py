"""Bind a request id to every log line of a request, return it, and log one event per request;
set the request's origin (client address, request id, clock) for the audit trail.

The middleware binds; the ``before_send`` hook, which sees every response including those
Litestar builds from exceptions raised in middleware (a 401, say), adds the header and logs.
Each request runs in its own task, so its context variables never leak into another's.
"""

from __future__ import annotations

import time
import uuid
from contextvars import ContextVar

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.audit.origin import Origin, set_origin

log = structlog.get_logger("essaim.request")

HEADER = b"x-request-id"
_started: ContextVar[float] = ContextVar("essaim_request_started")


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: a fresh request id in the log context."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request_id = uuid.uuid4().hex
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(request_id=request_id)
            _started.set(time.perf_counter())
            client = scope.get("client")
            set_origin(
                Origin(
                    source=client[0] if client else "unknown",
                    request_id=request_id,
                    clock=scope["app"].state.runtime.clock,
                )
            )
        await app(scope, receive, send)

    return middleware


async def log_response(message: Message, scope: Scope) -> None:
    """``before_send`` hook: add the request id header and log the request once."""
    if message["type"] != "http.response.start":
        return
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id is None:
        return
    message["headers"] = [*message.get("headers", []), (HEADER, request_id.encode())]
    log.info(
        "request",
        method=scope["method"],
        route=scope.get("path_template", scope["path"]),
        status=message["status"],
        ms=round((time.perf_counter() - _started.get(time.perf_counter())) * 1000, 1),
    )
