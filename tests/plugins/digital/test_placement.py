"""D2 through the applications API: DIGITAL's upper levels open to a passed placement test."""

from __future__ import annotations

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
