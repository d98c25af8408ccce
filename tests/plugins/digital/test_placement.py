"""D2 through the applications API: DIGITAL's upper levels open to a passed placement test,
scored on the sections and pass marks the plugin defines."""

from __future__ import annotations

import pytest

from plugins.digital.placement import TESTS, score
from tests.applications import apply, make_learner, move, record_result


async def test_an_intermediate_applicant_is_admitted_after_passing_the_placement_test(
    client, people
):
    learner = await make_learner(client, people, french_level="B1")
    created = await apply(client, people, learner, program="digital", track="intermediate")
    [d2] = [f for f in created["findings"] if f["rule"] == "D2"]
    assert d2["ok"] is False and "test de positionnement" in d2["reason"]
    await move(client, people, created["id"], "screening")
    await move(client, people, created["id"], "placement_test_pending")

    outcome = await record_result(client, people, created["id"], passed=True, score=30)
    assert outcome["opened_tracks"] == ["beginner", "intermediate"]
    application = outcome["application"]
    assert (application["status"], application["eligible"]) == ("screening", True)
    admitted = await move(client, people, created["id"], "admitted")
    assert admitted["status"] == "admitted"


async def test_the_beginner_level_asks_a_french_test_not_a_placement_test(client, people):
    learner = await make_learner(client, people, french_level="B1")
    created = await apply(client, people, learner, program="digital", track="beginner")
    await move(client, people, created["id"], "screening")
    refused = await move(client, people, created["id"], "placement_test_pending", expect=409)
    assert "no placement test for track 'beginner'" in refused["detail"]
    wrong = await record_result(client, people, created["id"], track="beginner", expect=422)
    assert wrong["errors"][0]["field"] == "track"


PLACEMENT = "/api/v1/programs/digital"


def test_a_test_passes_when_every_section_and_the_total_reach_their_marks() -> None:
    test = TESTS["intermediate"]
    assert (test.points, test.pass_mark) == (30, 20)
    assert score(test, {"computer": 7, "files": 7, "browsing": 6}).passed
    # The total is there, but one section is under its mark.
    low = score(test, {"computer": 10, "files": 10, "browsing": 5})
    assert (low.total, low.passed) == (25, False)
    assert [s.passed for s in low.sections] == [True, True, False]
    assert not score(test, {"computer": 6, "files": 6, "browsing": 6}).passed
    with pytest.raises(ValueError, match="browsing: missing"):
        score(test, {"computer": 6, "files": 6})
    with pytest.raises(ValueError, match="files: 11 is not from 0 to 10"):
        score(test, {"computer": 6, "files": 11, "browsing": 6})


async def test_the_placement_tests_are_published_with_their_sections_and_pass_marks(client, people):
    response = await client.get(
        f"{PLACEMENT}/placement-tests", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    tests = {t["track"]: t for t in response.json()}
    assert list(tests) == ["intermediate", "advanced"]
    assert [(s["key"], s["points"], s["pass_mark"]) for s in tests["advanced"]["sections"]] == [
        ("web_search", 10, 6),
        ("email", 10, 6),
        ("word", 10, 6),
    ]


async def sit(client, people, application, sections, track="intermediate", expect=201):
    response = await client.post(
        f"{PLACEMENT}/applications/{application}/placement-test",
        json={"track": track, "sections": sections},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == expect, response.text
    return response.json()


async def test_a_test_scored_by_section_opens_the_level_when_passed(client, people):
    learner = await make_learner(client, people, french_level="B1")
    created = await apply(client, people, learner, program="digital", track="intermediate")
    await move(client, people, created["id"], "screening")
    await move(client, people, created["id"], "placement_test_pending")

    failed = await sit(client, people, created["id"], {"computer": 9, "files": 9, "browsing": 4})
    assert failed["score"]["passed"] is False
    assert failed["outcome"]["result"]["score"] == 22
    assert failed["outcome"]["application"]["status"] == "placement_test_pending"
    assert "intermediate" not in failed["outcome"]["opened_tracks"]

    passed = await sit(client, people, created["id"], {"computer": 8, "files": 7, "browsing": 6})
    assert passed["score"]["passed"] is True
    assert passed["outcome"]["opened_tracks"] == ["beginner", "intermediate"]
    assert passed["outcome"]["application"]["status"] == "screening"
    admitted = await move(client, people, created["id"], "admitted")
    assert admitted["status"] == "admitted"


@pytest.mark.parametrize(
    ("track", "sections", "field"),
    [
        ("beginner", {"computer": 5}, "track"),
        ("intermediate", {"computer": 5, "files": 5}, "sections.browsing"),
        ("intermediate", {"computer": 5, "files": 5, "browsing": 5, "excel": 1}, "sections.excel"),
    ],
)
async def test_a_placement_test_off_its_sections_names_the_field(
    client, people, track, sections, field
):
    learner = await make_learner(client, people, french_level="B1")
    created = await apply(client, people, learner, program="digital", track="intermediate")
    await move(client, people, created["id"], "screening")
    refused = await sit(client, people, created["id"], sections, track=track, expect=422)
    assert refused["errors"][0]["field"] == field


async def test_another_sites_manager_cannot_score_the_test(client, people):
    learner = await make_learner(client, people, french_level="B1")
    created = await apply(client, people, learner, program="digital", track="intermediate")
    response = await client.post(
        f"{PLACEMENT}/applications/{created['id']}/placement-test",
        json={"track": "intermediate", "sections": {"computer": 9, "files": 9, "browsing": 9}},
        headers=people.auth("bordeaux_manager"),
    )
    assert response.status_code == 404
