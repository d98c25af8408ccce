"""The person is written to when an application is received and when it is decided."""

from core.notifications.tables import Message
from tests.applications import apply, make_learner, move


async def _messages(learner_id: int) -> list[dict]:
    return (
        await Message.select(Message.template, Message.subject, Message.body)
        .where(Message.learner == learner_id)
        .order_by(Message.id)
    )


async def test_a_received_application_is_acknowledged(client, people):
    learner = await make_learner(client, people, email="awa@example.org")
    await apply(client, people, learner)
    [message] = await _messages(learner)
    assert message["template"] == "application_received"
    assert "Atelier" in message["body"] and "Paris" in message["body"]


async def test_a_refusal_gives_the_managers_reason_in_plain_words(client, people):
    learner = await make_learner(client, people, email="awa@example.org")
    application = await apply(client, people, learner)
    await move(client, people, application["id"], "rejected", reason="Le groupe est complet.")
    _received, decided = await _messages(learner)
    assert decided["template"] == "application_decision"
    assert "Le groupe est complet." in decided["body"]


async def test_an_admission_is_announced(client, people):
    learner = await make_learner(client, people, email="awa@example.org")
    application = await apply(client, people, learner)
    await move(client, people, application["id"], "screening")
    await move(client, people, application["id"], "admitted")
    templates = [m["template"] for m in await _messages(learner)]
    assert templates == ["application_received", "application_decision"]


async def test_a_refused_admission_writes_nothing_more(client, people):
    learner = await make_learner(client, people, email="awa@example.org", birth_date="2010-01-01")
    application = await apply(client, people, learner)
    await move(client, people, application["id"], "screening")
    await move(client, people, application["id"], "admitted", expect=409)
    assert [m["template"] for m in await _messages(learner)] == ["application_received"]
