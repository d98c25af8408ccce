"""Every status change over the API, the allowed and the refused, with who, when and why kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.applications import service
from core.applications.pipeline import TRANSITIONS, ApplicationStatus
from core.plugins import PluginHost, load_plugins
from tests.applications import (
    PlacedAtelierPlugin,
    apply,
    history,
    make_learner,
    move,
    record_result,
)

S = ApplicationStatus
API_TARGETS = [S.SCREENING, S.PLACEMENT_TEST_PENDING, S.ADMITTED, S.REJECTED, S.WITHDRAWN]
PATHS = {
    S.SUBMITTED: [],
    S.SCREENING: [S.SCREENING],
    S.PLACEMENT_TEST_PENDING: [S.SCREENING, S.PLACEMENT_TEST_PENDING],
    S.ADMITTED: [S.SCREENING, S.ADMITTED],
    S.REJECTED: [S.REJECTED],
    S.WITHDRAWN: [S.WITHDRAWN],
}
"""How to reach each status the API can set, from a new application."""


@pytest.fixture
def plugin_host() -> PluginHost:
    """The toy program, asking a placement test for ``approfondissement``."""
    return load_plugins(load_entrypoints=False, plugins=[("atelier", PlacedAtelierPlugin())])


async def application_in(client, people, status: ApplicationStatus) -> int:
    """A new application to ``approfondissement``, its test passed, moved to ``status``."""
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, track="approfondissement"))["id"]
    await record_result(client, people, application, passed=True)
    for step in PATHS[status]:
        await move(client, people, application, step, reason="Motif noté par l'équipe.")
    return application


@pytest.mark.parametrize("current", list(PATHS))
async def test_each_change_from_a_status_is_allowed_or_refused_as_the_table_says(
    client, people, current
):
    for to in API_TARGETS:
        application = await application_in(client, people, current)
        allowed = to in TRANSITIONS[current]
        response = await client.post(
            f"/api/v1/applications/{application}/transitions",
            json={"to": to, "reason": "Motif noté par l'équipe."},
            headers=people.auth("paris_manager"),
        )
        assert response.status_code == (201 if allowed else 409), (current, to, response.text)
        body = response.json()
        if allowed:
            assert body["status"] == to
            last = (await history(client, people, application))["events"][-1]
            assert (last["from_status"], last["to_status"]) == (current, to)
        else:
            assert body["errors"] == [{"field": "to", "message": body["detail"]}]
            assert "cannot be" in body["detail"] or "already" in body["detail"]
            fetched = await client.get(
                f"/api/v1/applications/{application}", headers=people.auth("paris_manager")
            )
            assert fetched.json()["status"] == current


async def test_a_withdrawn_application_cannot_be_admitted(client, people):
    application = await application_in(client, people, S.WITHDRAWN)
    body = await move(client, people, application, "admitted", expect=409)
    assert body["detail"].startswith("an application withdrawn cannot be admitted")


async def test_each_change_is_recorded_with_who_when_and_why(client, people, clock):
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, track="approfondissement"))["id"]
    clock.advance(timedelta(days=1))
    await move(client, people, application, "screening", reason="Dossier complet.")
    clock.advance(timedelta(hours=2))
    await move(client, people, application, "withdrawn", reason="A trouvé un emploi.", who="admin")
    events = (await history(client, people, application))["events"]
    assert [(e["from_status"], e["to_status"], e["reason"], e["at"]) for e in events] == [
        (None, "submitted", "", "2026-09-01T08:00:00Z"),
        ("submitted", "screening", "Dossier complet.", "2026-09-02T08:00:00Z"),
        ("screening", "withdrawn", "A trouvé un emploi.", "2026-09-02T10:00:00Z"),
    ]
    assert events[1]["actor"] != events[2]["actor"]
    assert all(isinstance(event["actor"], int) for event in events)


@pytest.mark.parametrize("to", ["rejected", "withdrawn"])
async def test_a_rejection_or_withdrawal_needs_a_reason(client, people, to):
    application = await application_in(client, people, S.SCREENING)
    body = await move(client, people, application, to, reason="   ", expect=422)
    assert body["errors"][0]["field"] == "reason"


@pytest.mark.parametrize("to", ["enrolled", "waitlisted"])
async def test_the_api_refuses_to_set_what_enrolment_decides(client, people, to):
    application = await application_in(client, people, S.ADMITTED)
    body = await move(client, people, application, to, expect=422)
    assert body["errors"][0]["field"] == "to"
    assert "enrolment" in body["detail"]


async def test_enrolment_owned_statuses_change_only_through_the_service(client, people, clock):
    application = await application_in(client, people, S.ADMITTED)
    left = await service.change_status(
        application, S.ENROLLED, actor_id=None, reason="Place dans la promotion.", clock=clock
    )
    assert left is S.ADMITTED
    events = (await history(client, people, application))["events"]
    assert (events[-1]["from_status"], events[-1]["to_status"], events[-1]["actor"]) == (
        "admitted",
        "enrolled",
        None,
    )
    body = await move(client, people, application, "withdrawn", reason="Départ.", expect=409)
    assert "enrolment" in body["detail"]
    with pytest.raises(service.Conflict, match="cannot be admitted"):
        await service.change_status(application, S.ADMITTED, actor_id=None, reason="", clock=clock)


async def test_a_stale_change_is_refused_rather_than_lost(client, people, clock):
    """Two changes read the same status: the second finds the application moved."""
    application = await application_in(client, people, S.SCREENING)
    await service.change_status(application, S.WITHDRAWN, actor_id=None, reason="x", clock=clock)
    with pytest.raises(service.Conflict):
        await service.change_status(
            application, S.WITHDRAWN, actor_id=None, reason="y", clock=clock
        )
    assert len((await history(client, people, application))["events"]) == 3


async def test_a_change_guarded_by_a_stale_read_records_nothing(client, people, clock):
    """A caller that read the status before another change landed (``read``) is refused by
    the guarded update itself, and no event is recorded for it."""
    application = await application_in(client, people, S.SCREENING)
    await service.change_status(application, S.WITHDRAWN, actor_id=None, reason="x", clock=clock)
    with pytest.raises(service.Conflict, match="changed meanwhile"):
        await service.change_status(
            application, S.REJECTED, actor_id=None, reason="y", clock=clock, read=S.SCREENING
        )
    events = (await history(client, people, application))["events"]
    assert [event["to_status"] for event in events][-1] == "withdrawn"
    assert len(events) == 3


MALFORMED = [
    ({"to": "maybe"}, "$.to"),
    ({"to": "screening", "reason": "x" * 2001}, "$.reason"),
    ({"to": "screening", "colour": "blue"}, "$"),
    ({"to": "screening", "track": "Approfondissement!"}, "$.track"),
]


async def test_a_malformed_change_names_the_field(client, people):
    application = await application_in(client, people, S.SUBMITTED)
    for body, field in MALFORMED:
        response = await client.post(
            f"/api/v1/applications/{application}/transitions",
            json=body,
            headers=people.auth("paris_manager"),
        )
        assert response.status_code == 400, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_a_placement_test_is_refused_for_a_track_that_asks_none(client, people):
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner))["id"]
    await move(client, people, application, "screening")
    body = await move(client, people, application, "placement_test_pending", expect=409)
    assert "asks no placement test for track 'initiation'" in body["detail"]


async def test_screening_may_set_the_track_an_application_was_made_without(client, people):
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, track=None))["id"]
    body = await move(client, people, application, "admitted", expect=409)
    assert body["detail"] == "an application submitted cannot be admitted; " + (
        "it can be put in screening, rejected or withdrawn"
    )
    await move(client, people, application, "screening")
    body = await move(client, people, application, "admitted", expect=409)
    assert body["errors"][0]["field"] == "track"
    body = await move(client, people, application, "admitted", track="nope", expect=422)
    assert body["errors"][0]["field"] == "track"
    admitted = await move(client, people, application, "admitted", track="initiation")
    assert (admitted["status"], admitted["track"]) == ("admitted", "initiation")
    body = await move(
        client, people, application, "withdrawn", reason="x", track="initiation", expect=422
    )
    assert body["errors"][0]["field"] == "track"
