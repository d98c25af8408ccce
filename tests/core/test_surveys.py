"""Personal links (issue 8): made when a training ends and when a follow-up falls due, or on a
manager's request; stored as a hash; sent through the messages and the jobs table; answered
once, until they expire (RULES.md C6, O2)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.audit.tables import AuditEntry
from core.auth.hashing import digest
from core.jobs.handlers import core_handlers
from core.jobs.tables import Job
from core.jobs.worker import Worker
from core.notifications.service import SEND_JOB
from core.notifications.tables import Message
from core.outcomes.rules import OutcomeSource, OutcomeStatus
from core.outcomes.schemas import OutcomeInput
from core.outcomes.tables import Outcome
from core.surveys import answers, due
from core.surveys.links import LINK_DAYS, LinkState, open_link
from core.surveys.schemas import Helped, SurveyInput
from core.surveys.tables import LearnerLink, SurveyAnswer
from tests.applications import make_learner
from tests.surveys import (
    EXIT_DAY,
    THREE_MONTHS,
    enrolled,
    move_to,
    secret_in,
    send,
    sent_secret,
)

HAPPY = SurveyInput(satisfaction=5, recommends=True, helped=(Helped.GROUP,), comment="Merci !")


async def links_of(enrolment: int) -> list[dict]:
    return (
        await LearnerLink.select()
        .where(LearnerLink.enrolment == enrolment)
        .order_by(LearnerLink.id)
    )


async def test_the_survey_link_goes_out_when_the_training_ends(app, client, people, clock):
    enrolment = await enrolled(client, people)
    runtime = app.state.runtime
    assert await due.send_due_links(runtime) == 0, "the training has not ended"
    move_to(clock, EXIT_DAY)
    assert await due.send_due_links(runtime) == 1
    assert await due.send_due_links(runtime) == 0, "one link per purpose from the job"
    [link] = await links_of(enrolment)
    assert (link["purpose"], link["checkpoint"], link["created_by"]) == ("survey", 0, 0)
    assert link["expires_at"] == clock.now() + timedelta(days=LINK_DAYS)
    message = await Message.select().where(Message.template == "survey_link").first()
    secret = await secret_in(message["id"])
    assert link["secret_hash"] == digest(secret)
    assert secret not in json.dumps([str(v) for v in link.values()])
    assert message["status"] == "queued" and "4 questions" in message["body"]
    jobs = await Job.select(Job.payload).where(Job.kind == SEND_JOB)
    assert {"message_id": message["id"]} in [json.loads(job["payload"]) for job in jobs]


async def test_follow_up_links_go_out_when_due_unless_recorded(app, client, people, clock):
    runtime = app.state.runtime
    first, second = await enrolled(client, people), await enrolled(client, people)
    move_to(clock, THREE_MONTHS - timedelta(days=1))
    assert await due.send_due_links(runtime) == 0, "the survey's window passed; 3 months not yet"
    move_to(clock, THREE_MONTHS)
    recorded = await client.put(
        f"/api/v1/enrolments/{second}/outcomes/3",
        json={"status": "still_searching", "source": "phone"},
        headers=people.auth("paris_manager"),
    )
    assert recorded.status_code == 200, recorded.text
    assert await due.send_due_links(runtime) == 1
    [link] = await links_of(first)
    assert (link["purpose"], link["checkpoint"]) == ("follow_up", 3)
    assert await links_of(second) == []
    body = (await Message.select(Message.body).where(Message.template == "follow_up_link"))[0]
    assert "depuis 3 mois" in body["body"]


async def test_a_link_answers_once(app, client, people, clock):
    runtime = app.state.runtime
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    secret = await sent_secret(client, people, enrolment)
    assert (await open_link(runtime, secret)).state is LinkState.OPEN
    await answers.answer_survey(runtime, secret, HAPPY)
    with pytest.raises(answers.LinkClosed) as refused:
        await answers.answer_survey(runtime, secret, HAPPY)
    assert refused.value.state is LinkState.ANSWERED
    [answer] = await SurveyAnswer.select().where(SurveyAnswer.enrolment == enrolment)
    assert (answer["satisfaction"], answer["recommends"], answer["helped"]) == (5, True, "group")
    [entry] = await AuditEntry.select().where(AuditEntry.action == "survey.answered")
    assert entry["actor_id"] == 0 and entry["target_id"] == enrolment
    assert json.loads(entry["details"]) == {"by": "learner", "via": "link", "link": answer["link"]}
    again = await send(client, people, enrolment)
    assert again.status_code == 409, "answered: no new link"


async def test_a_link_expires_and_a_new_one_ends_the_old(app, client, people, clock):
    runtime = app.state.runtime
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    old = await sent_secret(client, people, enrolment)
    new = await sent_secret(client, people, enrolment)
    assert (await open_link(runtime, old)).state is LinkState.EXPIRED
    with pytest.raises(answers.LinkClosed):
        await answers.answer_survey(runtime, old, HAPPY)
    clock.advance(timedelta(days=LINK_DAYS))
    assert (await open_link(runtime, new)).state is LinkState.EXPIRED
    with pytest.raises(answers.LinkClosed) as refused:
        await answers.answer_survey(runtime, new, HAPPY)
    assert refused.value.state is LinkState.EXPIRED
    assert await open_link(runtime, "pas-un-secret") is None
    assert await SurveyAnswer.count() == 0


async def test_a_follow_up_answer_is_an_outcome_from_the_learner(app, client, people, clock):
    runtime = app.state.runtime
    enrolment = await enrolled(client, people)
    move_to(clock, THREE_MONTHS)
    secret = await sent_secret(client, people, enrolment, "follow_up", 3)
    job = OutcomeInput(
        status=OutcomeStatus.PERMANENT_JOB,
        source=OutcomeSource.LEARNER_LINK,
        employer_or_school="Boulangerie Martin",
    )
    await answers.answer_follow_up(runtime, secret, job)
    [outcome] = await Outcome.select().where(Outcome.enrolment == enrolment)
    assert (outcome["checkpoint"], outcome["status"], outcome["source"]) == (
        3,
        "permanent_job",
        "learner_link",
    )
    [entry] = await AuditEntry.select().where(AuditEntry.action == "outcome.recorded")
    details = json.loads(entry["details"])
    assert (entry["actor_id"], details["by"], details["via"]) == (0, "learner", "link")
    with pytest.raises(answers.LinkClosed):
        await answers.answer_follow_up(runtime, secret, job)


async def test_managers_send_links_within_the_rules(client, people, clock):
    enrolment = await enrolled(client, people)
    early = await send(client, people, enrolment)
    assert early.status_code == 409, "before the training ends"
    move_to(clock, EXIT_DAY)
    assert (await send(client, people, enrolment, who="paris_trainer")).status_code == 403
    assert (await send(client, people, enrolment, who="central")).status_code == 403
    assert (await send(client, people, enrolment, who="bordeaux_manager")).status_code == 404
    assert (await send(client, people, enrolment, "follow_up", 4)).status_code == 422
    assert (await send(client, people, enrolment, "follow_up", 3)).status_code == 409, "not due"
    sent = await send(client, people, enrolment)
    assert sent.status_code == 201, sent.text
    assert set(sent.json()) == {
        "id",
        "enrolment",
        "purpose",
        "checkpoint",
        "created_at",
        "expires_at",
        "message",
    }


async def test_the_worker_sends_the_links_due_once_a_day(app, client, people, clock):
    runtime = app.state.runtime
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    handlers = core_handlers(clock, runtime.sites)
    due.register(handlers, runtime)
    await due.schedule(runtime)
    worker = Worker(handlers, clock, worker_id="test-worker")
    while await worker.run_once():
        pass
    assert [link["purpose"] for link in await links_of(enrolment)] == ["survey"]
    [waiting] = await Job.select(Job.run_at).where(Job.kind == due.DUE_JOB, Job.status == "pending")
    assert waiting["run_at"].timestamp() == (clock.now() + due.EVERY).timestamp()


async def test_a_merge_moves_the_links_and_answers_along(app, client, people, clock):
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    secret = await sent_secret(client, people, enrolment)
    await answers.answer_survey(app.state.runtime, secret, HAPPY)
    [link] = await links_of(enrolment)
    other = await make_learner(client, people, first_name="Autre", last_name="Fiche")
    merged = await client.post(
        f"/api/v1/learners/{link['learner']}/merge",
        json={"into": other},
        headers=people.auth("admin"),
    )
    assert merged.status_code == 200, merged.text
    assert [row["learner"] for row in await links_of(enrolment)] == [other]
    assert await SurveyAnswer.count().where(SurveyAnswer.learner == other) == 1


async def test_a_learner_who_withdraws_gets_the_survey(app, client, people, clock):
    enrolment = await enrolled(client, people)
    clock.advance(timedelta(days=40))  # during the training
    withdrawn = await client.post(
        f"/api/v1/enrolments/{enrolment}/withdraw",
        json={"reason": "Déménagement."},
        headers=people.auth("paris_manager"),
    )
    assert withdrawn.status_code == 201, withdrawn.text
    assert await due.send_due_links(app.state.runtime) == 1
    [link] = await links_of(enrolment)
    assert link["purpose"] == "survey"
    clock.advance(timedelta(days=2))
    assert await due.send_due_links(app.state.runtime) == 0


async def test_only_the_learners_own_answer_has_the_link_as_its_source(client, people, clock):
    enrolment = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    claimed = await client.put(
        f"/api/v1/enrolments/{enrolment}/outcomes/exit",
        json={"status": "still_searching", "source": "learner_link"},
        headers=people.auth("paris_manager"),
    )
    assert claimed.status_code == 422
    assert claimed.json()["errors"][0]["field"] == "source"
