"""A freed place is offered to the next on the waitlist, held for a time, then passed on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.jobs.handlers import core_handlers
from core.jobs.worker import Worker
from core.notifications.tables import Message
from core.sites.loader import load_sites
from core.sites.schema import EnrolmentSettings
from tests.applications import history
from tests.enrolment import admitted, enrol, roster, small_cohort

OFFER_HOURS = EnrolmentSettings().offer_hours
"""The default hold, which tests/sites/paris.toml keeps; bordeaux.toml sets 24 hours."""


@pytest.fixture
def worker(db_settings, clock, sites_dir, plugin_host) -> Worker:
    return Worker(core_handlers(clock, load_sites(sites_dir, plugin_host)), clock)


async def _full_cohort(client, people, waiting: int = 2):
    """A cohort of 2 places, both taken, and ``waiting`` people on its waitlist."""
    cohort = await small_cohort(people, capacity=2)
    enrolments = []
    for _ in range(2 + waiting):
        enrolments.append(await enrol(client, people, cohort, await admitted(client, people)))
    return cohort, enrolments


async def act(client, people, enrolment, action, expect=201, who="paris_manager", **body):
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/{action}", json=body, headers=people.auth(who)
    )
    assert response.status_code == expect, response.text
    return response.json()


async def _offers(learner: int) -> list[dict]:
    return await Message.select(Message.template, Message.body).where(
        Message.learner == learner, Message.template == "waitlist_offer"
    )


async def test_a_withdrawal_offers_the_place_to_the_first_on_the_waitlist(client, people, clock):
    cohort, (first, _, third, fourth) = await _full_cohort(client, people)
    withdrawn = await act(client, people, first["id"], "withdraw", reason="A trouvé un emploi.")
    assert withdrawn["status"] == "withdrawn"
    body = await roster(client, people, cohort)
    [offered] = body["offered"]
    assert offered["enrolment"] == third["id"]
    assert offered["offer_deadline"].startswith(
        (clock.now() + timedelta(hours=OFFER_HOURS)).isoformat()[:19]
    )
    assert [(e["enrolment"], e["position"]) for e in body["waitlist"]] == [(fourth["id"], 1)]
    assert body["places_left"] == 0
    [message] = await _offers(third["learner"])
    assert "Une place est libre pour vous" in message["body"]
    events = (await history(client, people, first["application"]))["events"]
    assert (events[-1]["to_status"], events[-1]["reason"]) == ("withdrawn", "A trouvé un emploi.")


async def test_a_withdrawal_needs_a_reason(client, people):
    _, (first, *_) = await _full_cohort(client, people, waiting=0)
    body = await act(client, people, first["id"], "withdraw", expect=422, reason=" ")
    assert body["errors"][0]["field"] == "reason"


async def test_an_accepted_offer_enrols_the_person(client, people, clock):
    cohort, (first, _, third, _) = await _full_cohort(client, people)
    await act(client, people, first["id"], "withdraw", reason="Déménagement.")
    clock.advance(timedelta(hours=1))
    accepted = await act(client, people, third["id"], "accept")
    assert (accepted["status"], accepted["offer_deadline"]) == ("enrolled", None)
    events = (await history(client, people, third["application"]))["events"]
    assert (events[-1]["from_status"], events[-1]["to_status"]) == ("waitlisted", "enrolled")
    body = await act(client, people, third["id"], "accept", expect=409)
    assert (
        body["detail"]
        == f"enrolment {third['id']} is enrolled: there is no place offered to accept"
    )
    assert len((await roster(client, people, cohort))["enrolled"]) == 2


async def test_an_unanswered_offer_passes_to_the_next_at_its_deadline(
    client, people, clock, worker
):
    cohort, (first, _, third, fourth) = await _full_cohort(client, people)
    await act(client, people, first["id"], "withdraw", reason="Santé.")
    clock.advance(timedelta(hours=OFFER_HOURS - 1))
    while await worker.run_once():
        pass
    assert (await roster(client, people, cohort))["offered"][0]["enrolment"] == third["id"]
    clock.advance(timedelta(hours=1))
    assert await worker.run_once()
    body = await roster(client, people, cohort)
    assert [e["enrolment"] for e in body["offered"]] == [fourth["id"]]
    assert body["waitlist"] == []
    events = (await history(client, people, third["application"]))["events"]
    assert (events[-1]["to_status"], events[-1]["actor"]) == ("withdrawn", None)
    assert len(await _offers(fourth["learner"])) == 1
    late = await act(client, people, third["id"], "accept", expect=409)
    assert "is expired" in late["detail"]
    # The next offer expires in its turn; nobody is left to offer the place to.
    clock.advance(timedelta(hours=OFFER_HOURS))
    while await worker.run_once():
        pass
    body = await roster(client, people, cohort)
    assert (body["offered"], body["places_left"]) == ([], 1)


async def test_the_offer_is_held_for_the_hours_of_the_site_file(client, people, clock, worker):
    manager = "bordeaux_manager"  # tests/sites/bordeaux.toml holds offers for 24 hours
    cohort = await small_cohort(people, capacity=1, site="bordeaux")
    enrolments = []
    for _ in range(2):
        application = await admitted(client, people, who=manager, site="bordeaux")
        enrolments.append(await enrol(client, people, cohort, application, who=manager))
    first, second = enrolments
    await act(client, people, first["id"], "withdraw", reason="Santé.", who=manager)
    [offered] = (await roster(client, people, cohort, who=manager))["offered"]
    assert offered["enrolment"] == second["id"]
    assert offered["offer_deadline"].startswith(
        (clock.now() + timedelta(hours=24)).isoformat()[:19]
    )
    clock.advance(timedelta(hours=23))
    while await worker.run_once():
        pass
    body = await roster(client, people, cohort, who=manager)
    assert [e["enrolment"] for e in body["offered"]] == [second["id"]]
    clock.advance(timedelta(hours=1))
    assert await worker.run_once()
    body = await roster(client, people, cohort, who=manager)
    assert (body["offered"], body["places_left"]) == ([], 1)


async def test_an_offer_accepted_in_time_is_left_alone_by_its_expiry_job(
    client, people, clock, worker
):
    cohort, (first, _, third, fourth) = await _full_cohort(client, people)
    await act(client, people, first["id"], "withdraw", reason="Santé.")
    await act(client, people, third["id"], "accept")
    clock.advance(timedelta(hours=OFFER_HOURS + 1))
    while await worker.run_once():
        pass
    body = await roster(client, people, cohort)
    assert [e["enrolment"] for e in body["waitlist"]] == [fourth["id"]]
    assert third["id"] in [e["enrolment"] for e in body["enrolled"]]


async def test_a_declined_offer_goes_to_the_next(client, people):
    cohort, (first, _, third, fourth) = await _full_cohort(client, people)
    await act(client, people, first["id"], "withdraw", reason="Santé.")
    declined = await act(client, people, third["id"], "decline")
    assert declined["status"] == "declined"
    body = await roster(client, people, cohort)
    assert [e["enrolment"] for e in body["offered"]] == [fourth["id"]]
    events = (await history(client, people, third["application"]))["events"]
    assert (events[-1]["to_status"], events[-1]["reason"]) == (
        "withdrawn",
        "Place proposée refusée.",
    )


async def test_leaving_the_waitlist_moves_the_others_up(client, people):
    cohort, (_, _, third, fourth, fifth) = await _full_cohort(client, people, waiting=3)
    left = await act(client, people, fourth["id"], "leave", reason="Autre formation.")
    assert (left["status"], left["position"]) == ("left", None)
    body = await roster(client, people, cohort)
    assert [(e["enrolment"], e["position"]) for e in body["waitlist"]] == [
        (third["id"], 1),
        (fifth["id"], 2),
    ]
    again = await act(client, people, fourth["id"], "leave", expect=409)
    assert again["detail"] == (
        f"enrolment {fourth['id']} is left: only a waitlisted person leaves the waitlist"
    )
    body = await act(client, people, third["id"], "withdraw", reason="x", expect=409)
    assert "a waitlisted one leaves the waitlist" in body["detail"]


async def test_enrolment_actions_are_scoped(client, people):
    _, (first, *_) = await _full_cohort(client, people, waiting=0)
    await act(
        client, people, first["id"], "withdraw", reason="x", who="bordeaux_manager", expect=404
    )
    await act(client, people, first["id"], "withdraw", reason="x", who="paris_trainer", expect=404)
    await act(client, people, first["id"], "withdraw", reason="x", who="central", expect=403)
    await act(client, people, 999_999, "withdraw", reason="x", expect=404)
