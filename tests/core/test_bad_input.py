"""Input that is not what an endpoint reads gets a clean 4xx in problem+json, never a 500:
bodies too large, of the wrong content type, not UTF-8 or not a JSON object, and ids past what
the database stores."""

import json

import pytest

from core.app import MAX_BODY_BYTES
from core.errors import PROBLEM_JSON

LEARNER = {"site": "paris", "first_name": "Awa", "last_name": "Diallo", "gender": "female"}

WRITES = [
    pytest.param("POST", "/api/v1/learners", id="createLearner"),
    pytest.param("POST", "/api/v1/cohorts", id="createCohort"),
    pytest.param("PATCH", "/api/v1/cohorts/{paris_cohort}", id="updateCohort"),
]


async def send(client, people, method, path, content, content_type="application/json"):
    return await client.request(
        method,
        path.format(paris_cohort=people.paris_cohort),
        content=content,
        headers=people.auth("admin") | {"Content-Type": content_type},
    )


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_an_oversized_body_is_refused_with_413(client, people, method, path):
    padding = "x" * (MAX_BODY_BYTES + 1)
    response = await send(client, people, method, path, f'{{"notes": "{padding}"}}'.encode())
    assert_problem(response, 413)


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_a_body_that_is_not_json_is_refused_with_415(
    client, people, method, path, content_type
):
    response = await send(client, people, method, path, b'{"site": "paris"}', content_type)
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_invalid_utf8_in_a_json_body_is_refused_with_400(client, people, method, path):
    response = await send(client, people, method, path, b'{"first_name": "Aw\xe0\xff"}')
    assert_problem(response, 400)


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("content", [b"[]", b'"paris"', b"42", b"null", b"", b"{"])
async def test_a_json_body_that_is_not_an_object_is_refused_with_400(
    client, people, method, path, content
):
    response = await send(client, people, method, path, content)
    assert_problem(response, 400)


async def test_the_largest_learner_record_is_within_the_limit(client, people):
    body = json.dumps(LEARNER | {"notes": "é" * 10_000}).encode()
    response = await send(client, people, "POST", "/api/v1/learners", body)
    assert response.status_code == 201, response.text


async def test_json_with_a_charset_is_read(client, people):
    body = json.dumps(LEARNER).encode()
    content_type = "application/json; charset=utf-8"
    response = await send(client, people, "POST", "/api/v1/learners", body, content_type)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/learners/{too_big}",
        "/api/v1/cohorts/{too_big}/roster",
        "/api/v1/applications?learner={too_big}",
        "/api/v1/learners?offset={too_big}",
    ],
)
async def test_an_id_past_what_the_database_stores_is_refused_with_400(client, people, path):
    """Ids are 32-bit on PostgreSQL; past 64 bits SQLite could not even bind them (a 500)."""
    response = await client.get(path.format(too_big=2**64), headers=people.auth("admin"))
    body = assert_problem(response, 400)
    assert body["errors"][0]["message"].startswith("Expected `int` <= 2147483647")
