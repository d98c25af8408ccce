"""Transfer to another cohort keeps the history: the old enrolment stays, the new one names it."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.applications import history
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
    last = (await history(client, people, waiting["application"]))["events"][-1]
    assert (last["from_status"], last["to_status"]) == ("waitlisted", "waitlisted")
    assert (await _application(client, people, waiting["application"]))["cohort"] == other


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


async def _me(client, people, who):
    response = await client.get("/api/v1/auth/me", headers=people.auth(who))
    return response.json()["id"]


async def _application(client, people, application, who="paris_manager"):
    response = await client.get(f"/api/v1/applications/{application}", headers=people.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_transfer_is_in_the_application_history_and_names_the_new_cohort(
    client, people, clock
):
    one = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    before = (await history(client, people, first["application"]))["events"]
    clock.advance(timedelta(hours=3))
    await _transfer(client, people, first["id"], other, reason="Horaires.")
    events = (await history(client, people, first["application"]))["events"]
    assert events[: len(before)] == before
    [event] = events[len(before) :]
    assert event | {"id": None} == {
        "id": None,
        "from_status": "enrolled",
        "to_status": "enrolled",
        "actor": await _me(client, people, "paris_manager"),
        "at": event["at"],
        "reason": "Transfert vers le groupe Petit groupe paris : Horaires.",
        "decision": None,
    }
    assert datetime.fromisoformat(event["at"]) == clock.now()
    application = await _application(client, people, first["application"])
    assert (application["cohort"], application["site"], application["status"]) == (
        other,
        "paris",
        "enrolled",
    )


async def test_a_waitlisted_person_who_takes_a_free_place_is_enrolled_by_the_transfer(
    client, people
):
    one = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=1)
    await enrol(client, people, one, await admitted(client, people))
    waiting = await enrol(client, people, one, await admitted(client, people))
    moved = await _transfer(client, people, waiting["id"], other)
    assert moved["status"] == "enrolled"
    events = (await history(client, people, waiting["application"]))["events"]
    assert [(e["from_status"], e["to_status"], e["reason"]) for e in events[-2:]] == [
        ("admitted", "waitlisted", "Groupe Petit groupe paris complet : liste d'attente, rang 1."),
        ("waitlisted", "enrolled", "Transfert vers le groupe Petit groupe paris."),
    ]
    application = await _application(client, people, waiting["application"])
    assert (application["cohort"], application["status"]) == (other, "enrolled")


async def test_a_transfer_to_another_site_moves_the_application_there(client, people):
    one = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    bordeaux = await small_cohort(people, capacity=1, site="bordeaux")
    await _transfer(client, people, first["id"], bordeaux, who="admin", reason="Déménagement.")
    application = await _application(client, people, first["application"], who="bordeaux_manager")
    assert (application["cohort"], application["site"], application["status"]) == (
        bordeaux,
        "bordeaux",
        "enrolled",
    )
    last = (await history(client, people, first["application"], who="admin"))["events"][-1]
    assert (last["from_status"], last["to_status"], last["actor"], last["reason"]) == (
        "enrolled",
        "enrolled",
        await _me(client, people, "admin"),
        "Transfert vers le groupe Petit groupe bordeaux (Bordeaux) : Déménagement.",
    )


async def test_a_transfer_the_application_refuses_leaves_the_enrolment_where_it_was(client, people):
    from core.applications.tables import Application

    one = await small_cohort(people, capacity=1)
    other = await small_cohort(people, capacity=1)
    first = await enrol(client, people, one, await admitted(client, people))
    before = (await history(client, people, first["application"]))["events"]
    # Out of step with its enrolment, as only a bug or a hand-edit could leave it.
    await Application.update({Application.status: "admitted"}).where(
        Application.id == first["application"]
    )
    body = await _transfer(client, people, first["id"], other, expect=409)
    assert body["detail"] == (
        f"application {first['application']} is admitted: only an enrolled or waitlisted "
        "application moves to another cohort"
    )
    assert [e["enrolment"] for e in (await roster(client, people, one))["enrolled"]] == [
        first["id"]
    ]
    assert (await roster(client, people, other))["enrolled"] == []
    assert (await history(client, people, first["application"]))["events"] == before
    assert (await _application(client, people, first["application"]))["cohort"] is None
