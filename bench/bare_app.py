"""The bare-framework baseline: a Litestar app with one GET handler and nothing else.

Served by uvicorn with the same flags as Essaim (``--factory`` included), it gives the requests
per second that Litestar, uvicorn and the loopback reach here without any of Essaim's work.
"""

from __future__ import annotations

from litestar import Litestar, get

ITEMS = [
    {"id": 1, "slug": "paris", "name": "Paris"},
    {"id": 2, "slug": "bordeaux", "name": "Bordeaux"},
    {"id": 3, "slug": "lyon", "name": "Lyon"},
]
PATH = "/items"


@get(PATH)
async def items() -> list[dict[str, object]]:
    """A small constant JSON list."""
    return ITEMS


def create_app() -> Litestar:
    """The app, built by uvicorn's ``--factory`` as Essaim's is (importing builds nothing)."""
    return Litestar(route_handlers=[items], debug=False)
