"""Placement tests: results recorded as assessments; the program says which tracks they open.

The toy program's variant asks a placement test for ``approfondissement`` and lets a passed
test stand in for completing ``initiation``, as DIGITAL's D2 does for its upper levels.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.plugins import PluginHost, load_plugins
from tests.applications import (
    PlacedAtelier,
    PlacedAtelierPlugin,
    apply,
    history,
    make_learner,
    move,
    record_result,
)


@pytest.fixture
def plugin_host() -> PluginHost:
    return load_plugins(load_entrypoints=False, plugins=[("atelier", PlacedAtelierPlugin())])


async def pending(client, people, **fields) -> dict:
    learner = await make_learner(client, people, **fields)
    created = await apply(client, people, learner, track="approfondissement")
    await move(client, people, created["id"], "screening")
    return await move(client, people, created["id"], "placement_test_pending")


async def test_a_passed_test_moves_the_application_back_to_screening_and_opens_the_track(
    client, people, clock
):
    application = await pending(client, people)
    assert application["eligible"] is False
    clock.advance(timedelta(days=2))
    outcome = await record_result(
        client, people, application["id"], passed=True, score=31, assessed_at="2026-09-02T14:00:00Z"
    )
    result = outcome["result"]
    assert {k: result[k] for k in ("program", "track", "score", "passed", "assessed_at")} == {
        "program": "atelier",
        "track": "approfondissement",
        "score": 31,
        "passed": True,
        "assessed_at": "2026-09-02T14:00:00Z",
    }
    assert result["recorded_at"] == "2026-09-03T08:00:00Z"
    assert outcome["opened_tracks"] == ["initiation", "approfondissement"]
    assert outcome["application"]["status"] == "screening"
    assert outcome["application"]["eligible"] is True
    assert outcome["application"]["findings"][-1]["reason"] == "Test d'entrée réussi."

    events = (await history(client, people, application["id"]))["events"]
    assert (events[-1]["from_status"], events[-1]["to_status"]) == (
        "placement_test_pending",
        "screening",
    )
    assert events[-1]["reason"] == "Test de positionnement réussi : Approfondissement."
    assert events[-1]["actor"] == result["assessor"]

    admitted = await move(client, people, application["id"], "admitted")
    assert admitted["status"] == "admitted"
    [admission] = [
        d
        for d in (await history(client, people, application["id"]))["decisions"]
        if d["stage"] == "admission"
    ]
    assert admission["facts"]["placements"] == [
        {
            "program": "atelier",
            "track": "approfondissement",
            "passed": True,
            "score": 31.0,
            "assessed_at": "2026-09-02T14:00:00Z",
        }
    ]


async def test_a_failed_test_leaves_the_application_waiting_and_the_track_closed(client, people):
    application = await pending(client, people)
    outcome = await record_result(client, people, application["id"], passed=False, score=12)
    assert outcome["application"]["status"] == "placement_test_pending"
    assert outcome["application"]["eligible"] is False
    assert outcome["opened_tracks"] == ["initiation"]
    await move(client, people, application["id"], "screening")
    refused = await move(client, people, application["id"], "admitted", expect=409)
    assert [f["rule"] for f in refused["findings"] if not f["ok"]] == ["ATL1"]


async def test_a_passed_test_gives_its_track_to_an_application_made_without_one(client, people):
    learner = await make_learner(client, people)
    created = await apply(client, people, learner, track=None)
    assert [f["rule"] for f in created["findings"]] == ["C1"]
    await move(client, people, created["id"], "screening")
    waiting = await move(client, people, created["id"], "placement_test_pending")
    assert waiting["track"] is None
    failed = await record_result(
        client, people, created["id"], passed=False, track="approfondissement"
    )
    assert failed["application"]["track"] is None
    passed = await record_result(
        client, people, created["id"], passed=True, track="approfondissement"
    )
    assert (passed["application"]["track"], passed["application"]["status"]) == (
        "approfondissement",
        "screening",
    )
    assert [f["rule"] for f in passed["application"]["findings"]] == ["C1", "ATL1"]


async def test_a_passed_test_counts_for_the_persons_later_applications(client, people):
    application = await pending(client, people)
    await record_result(client, people, application["id"], passed=True)
    await move(client, people, application["id"], "withdrawn", reason="Déménage.")
    again = await apply(client, people, application["learner"], track="approfondissement")
    assert again["eligible"] is True


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"track": "initiation"}, 422, "track"),
        ({"track": "expert"}, 422, "track"),
        ({"assessed_at": "2026-09-01T09:00:00Z"}, 422, "assessed_at"),
        ({"assessed_at": "2026-09-01T07:00:00"}, 400, "$.assessed_at"),
        ({"score": -1}, 400, "$.score"),
        ({"passed": "yes"}, 400, "$.passed"),
    ],
)
async def test_an_invalid_result_names_the_field(client, people, body, status, field):
    application = await pending(client, people)
    response = await record_result(
        client, people, application["id"], expect=status, **{"passed": True} | body
    )
    assert [error["field"] for error in response["errors"]] == [field]


async def test_a_result_needs_a_track(client, people):
    learner = await make_learner(client, people)
    created = await apply(client, people, learner, track=None)
    response = await record_result(client, people, created["id"], expect=422)
    assert response["errors"][0]["field"] == "track"


async def test_no_result_is_recorded_once_the_application_is_decided(client, people):
    application = await pending(client, people)
    await move(client, people, application["id"], "rejected", reason="Ne se présente pas.")
    response = await record_result(client, people, application["id"], expect=409)
    assert "rejected" in response["detail"]


async def test_only_the_sites_staff_record_results(client, people):
    application = await pending(client, people)
    await record_result(client, people, application["id"], who="bordeaux_manager", expect=404)
    await record_result(client, people, application["id"], who="paris_trainer", expect=404)
    await record_result(client, people, application["id"], who="central", expect=403)
    await record_result(client, people, application["id"], who="admin")


def test_the_toy_variant_asks_a_test_only_where_it_says() -> None:
    program = PlacedAtelier()
    assert [step.kind for step in program.admission_steps("approfondissement")] == [
        "placement_test"
    ]
    assert program.admission_steps("initiation") == ()
