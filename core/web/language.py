"""Which language a request is answered in: ``?lang=`` (then remembered in a cookie), the
cookie, the browser's Accept-Language, or French."""

from __future__ import annotations

from collections.abc import Callable, Collection

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.web import i18n
from core.web.i18n import Catalogs

COOKIE = "essaim_lang"
QUERY = "lang"
_YEAR = 365 * 86400


def preferred(accept_language: str) -> list[str]:
    """The primary language codes of an Accept-Language header, most wanted first; those
    with ``q=0`` are refused and left out."""
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = tag.strip().split("-")[0].lower()
        if code and code != "*" and quality > 0:
            ranked.append((-quality, position, code))
    return [code for _, _, code in sorted(ranked)]


def choose(
    available: Collection[str],
    default: str,
    *,
    asked: str | None = None,
    remembered: str | None = None,
    accept_language: str = "",
) -> str:
    """The language to answer in, from what the request says, in order of precedence."""
    for code in (asked, remembered, *preferred(accept_language)):
        if code in available:
            return code
    return default


def language_middleware(catalogs: Catalogs) -> Callable[[ASGIApp], ASGIApp]:
    """ASGI middleware: the request's language made current for the templates and pages."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            connection: ASGIConnection = ASGIConnection(scope)
            asked = connection.query_params.get(QUERY)
            code = choose(
                catalogs,
                catalogs.default.code,
                asked=asked,
                remembered=connection.cookies.get(COOKIE),
                accept_language=connection.headers.get("accept-language", ""),
            )
            # Not reset afterwards: Litestar renders an exception raised in a middleware
            # (a refused CSRF token, say) outside this one, and that page must be in the
            # request's language too. Each request runs in its own task, so the value never
            # reaches another request.
            i18n.use(catalogs[code])
            await app(scope, receive, _remembering(send, code) if asked == code else send)

        return middleware

    return wrap


def _remembering(send: Send, code: str) -> Send:
    """``send``, adding the cookie that remembers the language asked for."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            cookie = Cookie(key=COOKIE, value=code, max_age=_YEAR, path="/", samesite="lax")
            MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
        await send(message)

    return wrapped
