"""JSON request bodies checked before a handler reads them: the media type, then UTF-8.

Litestar decodes whatever arrives as JSON whatever its ``Content-Type``, and lets the
``UnicodeDecodeError`` of bytes that are not UTF-8 through as a 500. Its size limit
(``request_max_body_size``) answers 413 on its own.
"""

from __future__ import annotations

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, HTTPException
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE

JSON_MEDIA_TYPES = ("application/json",)
"""What a JSON body may be sent as; ``application/<anything>+json`` is read too."""


class UnsupportedMediaType(HTTPException):
    """The body is not sent as JSON (415)."""

    status_code = HTTP_415_UNSUPPORTED_MEDIA_TYPE


def reads_json_body(handler: HTTPRouteHandler) -> bool:
    """True when ``handler`` takes a ``data`` argument decoded from JSON."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    kwarg = data.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
    return media_type == RequestEncodingType.JSON


def is_json(content_type: str) -> bool:
    """True for ``application/json`` and ``application/<anything>+json``, parameters aside."""
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type in JSON_MEDIA_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def check_json_body(request: Request) -> None:
    """A ``before_request`` hook: refuse a JSON handler's body that is not JSON text.

    Answers 415 when the body is not declared as JSON, 400 when its bytes are not UTF-8 (the
    encoding JSON requires), and 413 past the body size limit, since it reads the body; the
    handler then reads the same bytes again from the request's cache.
    """
    if not reads_json_body(request.route_handler):
        return
    if not is_json(request.headers.get("content-type", "")):
        raise UnsupportedMediaType("The request body must be JSON, sent as application/json.")
    body = await request.body()
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClientException(
            f"The request body is not valid UTF-8 (byte {exc.start} of the body)."
        ) from None
