"""One error shape for the API (RFC 9457 problem+json), with the field path of what was wrong."""

from __future__ import annotations

import sqlite3
from http import HTTPStatus
from typing import Any

import asyncpg
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"


class ServiceError(Exception):
    """An error a service raises for the caller to see; subclasses set the HTTP status."""

    status_code = 400
    retry_after: int | None = None
    """Seconds after which the same request may succeed, sent as ``Retry-After``."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(ServiceError):
    """No such record, or the caller's scope does not include it: both answer the same."""

    status_code = 404


class Forbidden(ServiceError):
    """The caller's role may not do this at all (never used to hide a record: see NotFound)."""

    status_code = 403


class Conflict(ServiceError):
    """The request clashes with the current state (a duplicate, say)."""

    status_code = 409


class InvalidField(ServiceError):
    """A value is well-formed but breaks a rule; ``field`` says which."""

    status_code = 422


def problem(
    status: int, detail: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _validation_errors(exc: ValidationException) -> list[dict[str, str]]:
    """Litestar's validation details as ``{field, in, message}``; body fields as JSON paths."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        raw_source = item.get("source") or "body"
        source = str(getattr(raw_source, "value", raw_source))
        key = str(item.get("key") or "")
        # Litestar names a body-level problem (an unknown field, say) after the parameter.
        body_path = "$" if key in ("", "data") else f"$.{key}"
        field = body_path if source == "body" else key
        errors.append({"field": field, "in": source, "message": str(item.get("message", ""))})
    return errors


def handle_http_exception(request: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    """Litestar's own errors (404 route, 401, 405, body validation) as problem+json."""
    if isinstance(exc, ValidationException):
        return problem(exc.status_code, "The request is not valid.", _validation_errors(exc))
    response = problem(exc.status_code, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def handle_service_error(request: Request, exc: ServiceError) -> Response[dict[str, Any]]:
    """A service's refusal, with the field it concerns."""
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    response = problem(exc.status_code, exc.detail, errors)
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_integrity_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """A unique or foreign-key violation the service did not foresee: a conflict, never a 500."""
    log.warning("integrity_error", error_type=type(exc).__name__)
    return problem(409, "The change conflicts with existing records.")


RETRY_AFTER_SECONDS = 5
_SQLITE_OUTAGES = ("database is locked", "unable to open database file", "disk i/o error")
_CLOSED = "connection is closed"


def is_database_outage(exc: Exception) -> bool:
    """True when ``exc`` says the database cannot be reached or used for now (a lost or
    refused connection, a server shutting down, a locked or missing SQLite file), not that
    a statement was wrong."""
    if isinstance(exc, asyncpg.PostgresConnectionError | asyncpg.AdminShutdownError):
        return True
    if isinstance(exc, asyncpg.InterfaceError):
        return _CLOSED in str(exc)
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).lower().startswith(_SQLITE_OUTAGES)
    return isinstance(exc, ConnectionError)


def handle_database_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """The database is away: 503 with a time to retry, and an event for the operators; any
    other error of the driver is a bug."""
    if not is_database_outage(exc):
        return handle_unexpected(request, exc)
    log.error("database_unavailable", error_type=type(exc).__name__)
    response = problem(503, "The database is unavailable; try again in a few seconds.")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """A bug: logged with its traceback, answered without internals."""
    log.exception("unhandled_error", error_type=type(exc).__name__)
    return problem(500, "An unexpected error occurred; it has been logged.")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HTTPException: handle_http_exception,
    ServiceError: handle_service_error,
    sqlite3.IntegrityError: handle_integrity_error,
    asyncpg.IntegrityConstraintViolationError: handle_integrity_error,
    asyncpg.PostgresConnectionError: handle_database_error,
    asyncpg.AdminShutdownError: handle_database_error,
    asyncpg.InterfaceError: handle_database_error,
    sqlite3.OperationalError: handle_database_error,
    ConnectionError: handle_database_error,
    Exception: handle_unexpected,
}
