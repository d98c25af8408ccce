"""Reading a program's own indicators through the API, as the tests of each plugin do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tests.conftest import People


async def program_totals(
    client: httpx.AsyncClient, people: People, program: str, who: str = "admin"
) -> dict[str, Any]:
    """The total row of ``program``'s indicators as ``who`` sees it: each count's and rate's
    display."""
    response = await client.get(f"/api/v1/reports/programs/{program}", headers=people.auth(who))
    assert response.status_code == 200, response.text
    total = response.json()["total"]
    return {name: cell["display"] for name, cell in {**total["counts"], **total["rates"]}.items()}
