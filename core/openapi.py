"""What the OpenAPI schema says about every route at once: the problem+json errors they answer,
and wall-clock times in the form the API reads and writes them.

Declared here, once, rather than route by route, so that a new route is documented like the
others without anyone thinking of it (the schemathesis run in tests/plugins fails otherwise).
"""

from __future__ import annotations

from datetime import time
from http import HTTPStatus
from typing import Any

import msgspec
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from core.auth.access import PUBLIC
from core.errors import PROBLEM_JSON

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

WALL_CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$"
"""A time of day as msgspec writes a naive ``time``: ``09:30:00``, fractions optional."""


class ProblemField(msgspec.Struct, omit_defaults=True):
    """One thing wrong with the request."""

    field: str
    """Where: a JSON path into the body (``$.birth_date``) or a parameter's name."""
    message: str
    in_: str | None = msgspec.field(default=None, name="in")
    """For a parameter, where it was sent: ``query``, ``path``, ``header`` or ``body``."""


class Problem(msgspec.Struct, omit_defaults=True):
    """An error answer (RFC 9457 problem+json). A few carry more members (the ``matches`` of a
    possible duplicate learner); the schema allows them."""

    type: str
    title: str
    status: int
    detail: str
    """A sentence that says what was wrong."""
    errors: list[ProblemField] | None = None


def problem_statuses(handler: HTTPRouteHandler) -> list[int]:
    """The problem statuses ``handler`` may answer, from what it takes and who may call it."""
    parameters = handler.parsed_fn_signature.parameters
    has_body = "data" in parameters
    dependencies = handler.resolve_dependencies()
    takes_input = has_body or any(
        name not in RESERVED_KWARGS and name not in dependencies for name in parameters
    )
    statuses: set[int] = set()
    if takes_input:
        # Malformed; out of scope or unknown; not in a state that allows it (an attestation
        # before the decision, say); well-formed but against a rule.
        statuses |= {
            HTTPStatus.BAD_REQUEST,
            HTTPStatus.NOT_FOUND,
            HTTPStatus.CONFLICT,
            HTTPStatus.UNPROCESSABLE_ENTITY,
        }
    if not handler.opt.get(PUBLIC):
        statuses |= {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}
    if handler.http_methods & WRITE_METHODS:
        statuses.add(HTTPStatus.CONFLICT)
    if has_body:
        statuses |= {HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNSUPPORTED_MEDIA_TYPE}
    return sorted(statuses)


def problem_response(status: int) -> ResponseSpec:
    """The OpenAPI description of a problem+json answer with ``status``."""
    return ResponseSpec(
        data_container=Problem,
        description=HTTPStatus(status).description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


class ApiContract(ReceiveRoutePlugin, OpenAPISchemaPlugin):
    """A Litestar plugin: documents every route's problem answers and the time-of-day format.

    A route's own ``responses`` win over the shared ones, so that one that answers more (a
    possible duplicate's matches, say) documents it where it is declared.
    """

    def receive_route(self, route: BaseRoute) -> None:
        """Add the problem answers to each handler of ``route`` that the schema shows."""
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            shared = {status: problem_response(status) for status in problem_statuses(handler)}
            handler.responses = shared | dict(handler.responses or {})

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        """Times of day: Litestar would call them durations."""
        return field_definition.annotation is time

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        """A naive ``HH:MM:SS`` string, as msgspec reads and writes it."""
        return Schema(type=OpenAPIType.STRING, pattern=WALL_CLOCK_TIME, examples=["09:30:00"])
