"""The OpenAPI schema tells clients what the API answers: every error as problem+json, with the
statuses a route can give, and times of day as the API writes them."""

import re
from datetime import time

import msgspec
import pytest

from core.errors import PROBLEM_JSON

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
async def spec(client):
    return (await client.get("/schema/openapi.json")).json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


async def test_every_error_answer_is_documented_as_problem_json(spec):
    errors = [
        (operation["operationId"], status, response)
        for _, _, operation in operations(spec)
        for status, response in operation["responses"].items()
        if int(status) >= 400
    ]
    assert errors
    for operation_id, status, response in errors:
        assert list(response["content"]) == [PROBLEM_JSON], (operation_id, status)
        schema = response["content"][PROBLEM_JSON]["schema"]
        assert schema == {"$ref": "#/components/schemas/Problem"}, (operation_id, status)
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def statuses(spec, operation_id):
    for _, _, operation in operations(spec):
        if operation["operationId"] == operation_id:
            return {int(status) for status in operation["responses"]}
    raise AssertionError(operation_id)


async def test_statuses_follow_what_a_route_takes_and_who_may_call_it(spec):
    # A private write with a JSON body: every problem it can meet.
    assert statuses(spec, "createLearner") == {201, 400, 401, 403, 404, 409, 413, 415, 422}
    # A private read of a record, which may not be in a state to be read yet: no body to refuse.
    assert statuses(spec, "getLearner") == {200, 400, 401, 403, 404, 409, 422}
    # A private read with no input at all.
    assert statuses(spec, "whoAmI") == {200, 401, 403}
    # Public and without input.
    assert statuses(spec, "health") == {200}
    # Public, but it refuses wrong credentials: declared on the route itself.
    assert 401 in statuses(spec, "login")


async def test_times_of_day_are_documented_as_the_api_writes_them(spec):
    written = msgspec.json.decode(msgspec.json.encode(time(9, 30)))
    for name in ("SessionRead", "CohortRead"):
        properties = spec["components"]["schemas"][name]["properties"]
        field = properties["starts_at" if name == "SessionRead" else "day_starts"]
        (documented,) = [item for item in field.get("oneOf", [field]) if item.get("pattern")]
        assert "format" not in documented  # Litestar's default called it a duration
        assert re.fullmatch(documented["pattern"], written), name
        assert not re.fullmatch(documented["pattern"], "PT9H30M"), name
