"""Transfer to another cohort keeps the history: the old enrolment stays, the new one names it."""

from __future__ import annotations

from tests.core.test_enrolment_offers import act
from tests.enrolment import admitted, enrol, roster, small_cohort


async def _transfer(client, people, enrolment, cohort, expect=201, who="paris_manager", **body):
    return await act(
        client, people, enrolment, "transfer", expect=expect, who=who, cohort_id=cohort, **body
    )


async def test_an_enrolled_person_moves_into_a_free_place_and_frees_theirs(client, people):
    full = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=2)
    first = await enrol(client, people, full, await admitted(client, people))
    second = await enrol(client, people, full, await admitted(client, people))
    moved = await _transfer(client, people, first["id"], other, reason="Horaires.")
    assert (moved["cohort"], moved["status"], moved["transferred_from"]) == (
        other,
        "enrolled",
        first["id"],
    )
    body = await roster(client, people, full)
    assert [e["enrolment"] for e in body["offered"]] == [second["id"]]
    response = await client.get(
        f"/api/v1/applications/{first['application']}/enrolments",
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 200
    assert [(e["cohort"], e["status"]) for e in response.json()] == [
        (full, "transferred"),
        (other, "enrolled"),
    ]


async def test_an_enrolled_person_is_not_moved_into_a_full_cohort(client, people):
    one = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    await enrol(client, people, other, await admitted(client, people))
    body = await _transfer(client, people, first["id"], other, expect=409)
    assert body["detail"].startswith(f"cohort {other} has no free place")
    body = await _transfer(client, people, first["id"], one, expect=409)
    assert body["detail"] == f"enrolment {first['id']} is already in cohort {one}"


async def test_a_waitlisted_person_joins_the_end_of_the_other_waitlist(client, people):
    one = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=1)
    await enrol(client, people, one, await admitted(client, people))
    waiting = await enrol(client, people, one, await admitted(client, people))
    behind = await enrol(client, people, one, await admitted(client, people))
    await enrol(client, people, other, await admitted(client, people))
    there = await enrol(client, people, other, await admitted(client, people))
    moved = await _transfer(client, people, waiting["id"], other)
    assert (moved["status"], moved["position"]) == ("waitlisted", 2)
    assert [
        (e["enrolment"], e["position"]) for e in (await roster(client, people, one))["waitlist"]
    ] == [(behind["id"], 1)]
    assert [e["enrolment"] for e in (await roster(client, people, other))["waitlist"]] == [
        there["id"],
        moved["id"],
    ]


async def test_transfer_input_and_scope(client, people):
    one = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    body = await _transfer(client, people, first["id"], 999_999, expect=404)
    assert body["errors"][0]["field"] == "cohort_id"
    bordeaux = await small_cohort(people, capacity=1, site="bordeaux")
    await _transfer(client, people, first["id"], bordeaux, expect=404)
    moved = await _transfer(client, people, first["id"], bordeaux, who="admin")
    assert moved["cohort"] == bordeaux
    body = await _transfer(client, people, first["id"], one, who="admin", expect=409)
    assert "only an enrolled or waitlisted person is transferred" in body["detail"]


async def test_a_transfer_stays_in_the_same_track(client, people):
    from datetime import date

    from core.cohorts.tables import Cohort

    one = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    rows = await Cohort.insert(
        Cohort(
            site="paris",
            program="atelier",
            track="approfondissement",
            title="Approfondissement",
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 11, 5),
            capacity=5,
        )
    ).returning(Cohort.id)
    body = await _transfer(client, people, first["id"], rows[0]["id"], expect=422)
    assert body["errors"][0]["field"] == "cohort_id"


async def test_a_merge_step_moves_enrolments_to_the_kept_record(client, people):
    from core.enrolment.service import move_enrolments

    one = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    second = await enrol(client, people, one, await admitted(client, people))
    await move_enrolments(first["learner"], second["learner"])
    body = await roster(client, people, one)
    assert body["enrolled"][0]["learner"] == second["learner"]
