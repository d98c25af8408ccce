"""Messages to learners on both engines: queued with the caller's change, sent by the worker to a
real SMTP server on loopback, retried then failed, listed for their site's staff, never logged.

The tests move the clock between attempts; none sleeps.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from structlog.testing import capture_logs

from core.auth import service as auth
from core.auth.roles import Role
from core.auth.tables import Account
from core.clock import FrozenClock
from core.jobs.handlers import core_handlers
from core.jobs.registry import JobError
from core.jobs.service import MAX_RETRY_DELAY, retry_delay
from core.jobs.tables import Job
from core.jobs.worker import Worker
from core.learners.tables import Learner
from core.notifications import sending, service
from core.notifications.account_templates import AccountTemplate, password_reset
from core.notifications.accounts import notify_account, send_account_queued
from core.notifications.notifier import Outgoing
from core.notifications.schemas import Channel
from core.notifications.service import MAX_ATTEMPTS, NO_EMAIL, SEND_JOB, notify, send_queued
from core.notifications.tables import AccountMessage, Message
from core.plugins import PluginHost
from core.sites.loader import SiteRegistry, load_sites
from tests.conftest import PASSWORD as ACCOUNT_PASSWORD
from tests.conftest import TEST_SITES

# The server takes a login over plain text on loopback, as a local relay would.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

PASSWORD_ENV = "ESSAIM_TEST_SMTP_PASSWORD"
PASSWORD = "relay-secret"
RECEIVED = {"program": "Atelier", "site_name": "Paris"}
EMAIL = "zuleika.brandt@example.org"


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps each message it accepts, or refuses its recipient."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    refuse_with: str | None = None
    """An SMTP reply to give every recipient instead of accepting it."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.refuse_with:
            return self.refuse_with.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.logins.append((auth_data.login, auth_data.password))
        ok = auth_data.login == b"paris-relay" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok)

    def parsed(self, index: int = 0) -> email.message.EmailMessage:
        return email.message_from_bytes(self.received[index][2], policy=email.policy.default)


def free_port() -> int:
    """A port nothing listens on (the kernel's pick, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 that requires a login; the inbox and its port."""
    handler = Inbox()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=handler.authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield handler, controller.port
    controller.stop()


def write_sites(folder: Path, port: int) -> Path:
    """The test sites, Paris sending through ``127.0.0.1:port``; Bordeaux has no [mail]."""
    folder.mkdir()
    (folder / "bordeaux.toml").write_text((TEST_SITES / "bordeaux.toml").read_text())
    (folder / "paris.toml").write_text(
        (TEST_SITES / "paris.toml").read_text()
        + "\n[mail]\n"
        + 'sender = "Essaim Paris <paris@essaim.example>"\n'
        + 'host = "127.0.0.1"\n'
        + f"port = {port}\n"
        + 'username = "paris-relay"\n'
        + f'password_env = "{PASSWORD_ENV}"\n'
    )
    return folder


@pytest.fixture
def sites_dir(tmp_path: Path, inbox: tuple[Inbox, int], monkeypatch) -> Path:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return write_sites(tmp_path / "sites", inbox[1])


@pytest.fixture
def smtp(inbox: tuple[Inbox, int]) -> Inbox:
    return inbox[0]


@pytest.fixture
def sites(sites_dir: Path, plugin_host: PluginHost) -> SiteRegistry:
    return load_sites(sites_dir, plugin_host)


@pytest.fixture
def worker(db_settings, clock: FrozenClock, sites: SiteRegistry) -> Worker:
    return Worker(core_handlers(clock, sites), clock, worker_id="test-worker")


async def add_learner(site: str = "paris", email: str = EMAIL, phone: str = "") -> int:
    rows = await Learner.insert(
        Learner(
            site=site,
            first_name="Zuleika",
            last_name="Brandt",
            gender="female",
            email=email,
            phone=phone,
        )
    ).returning(Learner.id)
    return int(rows[0]["id"])


async def message(message_id: int) -> dict[str, Any]:
    row = await Message.select().where(Message.id == message_id).first()
    assert row is not None
    return row


async def drain(worker: Worker, clock: FrozenClock) -> int:
    """Run the worker until nothing is left to retry, moving the clock past each backoff."""
    runs = 0
    while runs <= MAX_ATTEMPTS and await worker.run_once():
        runs += 1
        clock.advance(MAX_RETRY_DELAY)
    return runs


async def test_the_worker_sends_the_message_through_the_sites_smtp_server(worker, smtp, clock):
    learner_id = await add_learner()
    message_id = await notify(learner_id, "application_received", RECEIVED, clock=clock)
    queued = await message(message_id)
    assert (queued["status"], queued["attempts"], queued["sent_at"]) == ("queued", 0, None)
    assert smtp.received == []  # the caller never waits on SMTP

    clock.advance(timedelta(seconds=5))
    assert await worker.run_once() is True
    assert await worker.run_once() is False

    sender, recipients, _ = smtp.received[0]
    assert (sender, recipients) == ("paris@essaim.example", [EMAIL])
    sent = smtp.parsed()
    assert sent["Subject"] == "Formation Atelier : candidature reçue"
    assert sent["To"] == EMAIL
    assert sent["Auto-Submitted"] == "auto-generated"
    text = sent.get_content().replace("\r\n", "\n")
    assert text.startswith("Bonjour Zuleika,\n\nNous avons bien reçu votre candidature.")
    assert text == queued["body"].replace("\r\n", "\n")
    assert smtp.logins == [(b"paris-relay", PASSWORD.encode())]

    done = await message(message_id)
    assert (done["status"], done["attempts"], done["last_error"]) == ("sent", 1, "")
    assert done["sent_at"] == clock.now()
    assert done["subject"] == "Formation Atelier : candidature reçue"


async def test_a_personal_link_leaves_in_the_email_and_is_then_forgotten(worker, smtp, clock):
    learner_id = await add_learner()
    url = "https://essaim.example.org/suivi/secret-de-zuleika"
    survey = {**RECEIVED, "url": url, "expires_on": "2026-12-31"}
    message_id = await notify(learner_id, "survey_link", survey, clock=clock, link=url)
    queued = await message(message_id)
    assert url not in queued["body"] and queued["link"] == url, "apart from the text read"
    with pytest.raises(ValueError, match="does not show its link"):
        await notify(learner_id, "survey_link", survey, clock=clock, link=url + "-autre")

    clock.advance(timedelta(seconds=5))
    while await worker.run_once():
        pass
    assert url in smtp.parsed().get_content()
    done = await message(message_id)
    assert (done["status"], done["link"]) == ("sent", "")
    assert url not in done["body"]


async def test_the_job_is_enqueued_with_the_message(db_settings, clock):
    message_id = await notify(await add_learner(), "application_received", RECEIVED, clock=clock)
    jobs = await Job.select(Job.kind, Job.payload, Job.max_attempts, Job.status)
    assert jobs == [
        {
            "kind": SEND_JOB,
            "payload": f'{{"message_id":{message_id}}}',
            "max_attempts": MAX_ATTEMPTS,
            "status": "pending",
        }
    ]


class Rollback(Exception):
    pass


async def test_a_rolled_back_transaction_leaves_no_message_and_no_job(worker, smtp, clock):
    learner_id = await add_learner()
    with pytest.raises(Rollback):
        async with Message._meta.db.transaction():
            await notify(learner_id, "application_received", RECEIVED, clock=clock)
            assert await Message.count() == 1
            raise Rollback
    assert await Message.count() == 0
    assert await Job.count() == 0
    assert await worker.run_once() is False
    assert smtp.received == []


async def test_a_refusing_server_is_retried_then_the_message_shows_failed(
    client, people, worker, smtp, clock
):
    smtp.refuse_with = "451 4.3.0 Mailbox busy, try again later"
    learner_id = await add_learner()
    message_id = await notify(learner_id, "application_received", RECEIVED, clock=clock)

    assert await worker.run_once() is True
    first = await message(message_id)
    assert (first["status"], first["attempts"]) == ("queued", 1)
    assert first["last_error"] == "the mail server refused the address for now (SMTP 451)"
    assert await worker.run_once() is False  # waits for its backoff

    clock.advance(retry_delay(1))
    assert await drain(worker, clock) == MAX_ATTEMPTS - 1
    failed = await message(message_id)
    assert (failed["status"], failed["attempts"], failed["sent_at"]) == ("failed", 5, None)
    assert (await Job.select(Job.status, Job.attempts).first()) == {
        "status": "failed",
        "attempts": 5,
    }
    assert smtp.received == []

    page = await client.get(
        "/api/v1/messages", params={"status": "failed"}, headers=people.auth("paris_manager")
    )
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == message_id
    assert item["learner"] == learner_id
    assert (item["status"], item["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert item["last_error"] == "the mail server refused the address for now (SMTP 451)"
    assert "body" not in item
    other = await client.get(
        "/api/v1/messages", params={"status": "failed"}, headers=people.auth("bordeaux_manager")
    )
    assert other.json()["total"] == 0


async def closing_server() -> tuple[asyncio.AbstractServer, int]:
    """A TCP server on loopback that hangs up on every client before the SMTP greeting."""

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    return server, int(server.sockets[0].getsockname()[1])


@pytest.mark.parametrize("server", ["closes", "is not listening"])
async def test_an_unreachable_server_is_retried_then_failed(
    db_settings, plugin_host, tmp_path, clock, monkeypatch, server
):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    listener = None
    if server == "closes":
        listener, port = await closing_server()
        expected = f"the mail server 127.0.0.1:{port} closed the connection"
    else:
        port = free_port()
        expected = f"could not reach the mail server 127.0.0.1:{port} (ConnectionRefusedError)"
    try:
        registry = load_sites(write_sites(tmp_path / "down", port), plugin_host)
        worker = Worker(core_handlers(clock, registry), clock)
        message_id = await notify(
            await add_learner(), "application_received", RECEIVED, clock=clock
        )
        assert await worker.run_once() is True
        assert (await message(message_id))["status"] == "queued"
        assert (await message(message_id))["last_error"] == expected
        clock.advance(retry_delay(1))
        assert await drain(worker, clock) == MAX_ATTEMPTS - 1
    finally:
        if listener is not None:
            listener.close()
            await listener.wait_closed()
    failed = await message(message_id)
    assert (failed["status"], failed["attempts"], failed["last_error"]) == (
        "failed",
        MAX_ATTEMPTS,
        expected,
    )


async def test_a_site_without_mail_settings_fails_the_message_at_once(worker, smtp, clock):
    message_id = await notify(
        await add_learner(site="bordeaux"),
        "application_received",
        {"program": "Atelier", "site_name": "Bordeaux"},
        clock=clock,
    )
    assert await worker.run_once() is True
    failed = await message(message_id)
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert failed["last_error"] == "site 'bordeaux' has no [mail] block in its site file"
    assert (await Job.select(Job.status).first()) == {"status": "done"}  # nothing to retry
    clock.advance(timedelta(hours=2))
    assert await worker.run_once() is False
    assert smtp.received == []


async def test_a_learner_without_an_address_gets_a_failed_message_and_no_job(db_settings, clock):
    message_id = await notify(
        await add_learner(email=""), "application_received", RECEIVED, clock=clock
    )
    recorded = await message(message_id)
    assert (recorded["status"], recorded["last_error"]) == ("failed", NO_EMAIL)
    assert recorded["subject"] == "Formation Atelier : candidature reçue"
    assert await Job.count() == 0


async def test_a_refused_address_fails_at_once_and_the_servers_words_stay_out(worker, smtp, clock):
    smtp.refuse_with = "550 5.1.1 <{address}>: no such user"
    message_id = await notify(await add_learner(), "application_received", RECEIVED, clock=clock)
    assert await worker.run_once() is True
    failed = await message(message_id)
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert failed["last_error"] == "the mail server refused the address (SMTP 550)"


async def test_the_sms_channel_is_reserved_and_fails_with_its_reason(worker, clock):
    learner_id = await add_learner(phone="06 12 34 56 78")
    message_id = await notify(
        learner_id, "application_received", RECEIVED, clock=clock, channel="sms"
    )
    assert (await message(message_id))["channel"] == "sms"
    assert await worker.run_once() is True
    failed = await message(message_id)
    assert (failed["status"], failed["last_error"]) == (
        "failed",
        "no SMS provider is configured yet",
    )


async def test_a_missing_password_variable_is_named(worker, smtp, clock, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV)
    message_id = await notify(await add_learner(), "application_received", RECEIVED, clock=clock)
    assert await worker.run_once() is True
    failed = await message(message_id)
    assert failed["status"] == "failed"
    assert failed["last_error"] == (
        f"environment variable {PASSWORD_ENV} (the mail password of site 'paris') "
        "is not set for the worker"
    )
    assert smtp.received == []


async def test_a_job_run_twice_sends_once(db_settings, sites, smtp, clock):
    message_id = await notify(await add_learner(), "application_received", RECEIVED, clock=clock)
    await send_queued(message_id, sites=sites, clock=clock)
    await send_queued(message_id, sites=sites, clock=clock)
    assert len(smtp.received) == 1
    assert (await message(message_id))["attempts"] == 1


async def test_the_message_text_and_address_never_reach_the_logs(worker, smtp, clock):
    learner_id = await add_learner()
    with capture_logs() as logs:
        sent = await notify(learner_id, "application_received", RECEIVED, clock=clock)
        assert await worker.run_once() is True
        smtp.refuse_with = "550 5.1.1 <{address}>: no such user"
        refused = await notify(
            learner_id,
            "application_decision",
            {
                "program": "Atelier",
                "site_name": "Paris",
                "decision": "refused",
                "reasons": ["Il faut avoir 18 ans au début de la formation."],
            },
            clock=clock,
        )
        assert await worker.run_once() is True
    events = [entry["event"] for entry in logs if "message_id" in entry]
    assert events == ["message_recorded", "message_sent", "message_recorded", "message_failed"]
    assert {entry["message_id"] for entry in logs if "message_id" in entry} == {sent, refused}
    text = repr(logs)
    for row in (await message(sent), await message(refused)):
        for line in (row["subject"], *row["body"].splitlines()):
            if line.strip():
                assert line not in text
    for personal in ("Zuleika", "Brandt", "zuleika", "18 ans"):
        assert personal not in text


# Both tables go through one sender ----------------------------------------------------------

LINK_URL = "https://essaim.example.org/lien/secret-de-zuleika"
STAFF_EMAIL = "nadia.staff@example.org"
Table = type[Message] | type[AccountMessage]


async def add_account() -> int:
    return await auth.create_account(
        email=STAFF_EMAIL,
        password=ACCOUNT_PASSWORD,
        display_name="Nadia Staff",
        role=Role.SITE_MANAGER,
        sites=("paris",),
        cohorts=(),
        known_sites=("paris", "bordeaux"),
    )


async def queue_with_link(kind: str, clock: FrozenClock, site: str = "paris") -> tuple[Table, int]:
    """A queued message carrying ``LINK_URL``, to a learner or to a staff account of ``site``."""
    if kind == "learner":
        survey = {**RECEIVED, "url": LINK_URL, "expires_on": "2026-12-31"}
        learner_id = await add_learner(site=site)
        return Message, await notify(learner_id, "survey_link", survey, clock=clock, link=LINK_URL)
    rendered = password_reset(name="Nadia Staff")
    account_id = await add_account()
    message_id = await notify_account(
        account_id, AccountTemplate.PASSWORD_RESET, rendered, LINK_URL, site=site, clock=clock
    )
    return AccountMessage, message_id


async def stored(table: Table, message_id: int) -> dict[str, Any]:
    row = await table.select().where(table.id == message_id).first()
    assert row is not None
    return row


@pytest.mark.parametrize("kind", ["learner", "account"])
async def test_a_final_failure_forgets_the_link(worker, smtp, clock, kind):
    table, message_id = await queue_with_link(kind, clock, site="bordeaux")
    assert (await stored(table, message_id))["link"] == LINK_URL
    assert await worker.run_once() is True
    failed = await stored(table, message_id)
    assert (failed["status"], failed["attempts"], failed["link"], failed["sent_at"]) == (
        "failed",
        1,
        "",
        None,
    )
    assert failed["last_error"] == "site 'bordeaux' has no [mail] block in its site file"
    assert smtp.received == []


async def test_an_account_deactivated_before_its_email_leaves_fails_it_at_once(worker, smtp, clock):
    table, message_id = await queue_with_link("account", clock)
    await Account.update({Account.active: False}).where(Account.email == STAFF_EMAIL)
    with capture_logs() as logs:
        assert await worker.run_once() is True
    failed = await stored(table, message_id)
    assert (failed["status"], failed["last_error"], failed["link"]) == (
        "failed",
        "the account is deactivated",
        "",
    )
    assert (await Job.select(Job.status).first()) == {"status": "done"}
    events = [(entry["event"], entry.get("retried")) for entry in logs if "message_id" in entry]
    assert events == [("account_message_failed", False)]
    assert smtp.received == []


class Leaky:
    """A notifier whose failure quotes the address and the text, as a careless library's would."""

    channel = Channel.EMAIL

    async def send(self, outgoing: Outgoing) -> None:
        raise RuntimeError(f"could not send to {outgoing.to}: {outgoing.body}")


@pytest.mark.parametrize(
    ("kind", "event", "send"),
    [
        ("learner", "message", send_queued),
        ("account", "account_message", send_account_queued),
    ],
)
async def test_an_unexpected_error_is_retried_by_its_class_name_then_failed(
    db_settings, sites, clock, monkeypatch, kind, event, send
):
    monkeypatch.setattr(sending, "notifier_for", lambda site, channel, environ=None: Leaky())
    table, message_id = await queue_with_link(kind, clock)
    label = event.replace("_", " ")
    with capture_logs() as logs:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with pytest.raises(JobError, match=f"^{label} {message_id}: RuntimeError$"):
                await send(message_id, sites=sites, clock=clock)
            row = await stored(table, message_id)
            assert (row["attempts"], row["last_error"]) == (attempt, "RuntimeError")
            if attempt < MAX_ATTEMPTS:
                assert (row["status"], row["link"]) == ("queued", LINK_URL), "kept for a retry"
        await send(message_id, sites=sites, clock=clock)  # the job run once more
    assert (row["status"], row["link"], row["sent_at"]) == ("failed", "", None)
    events = [(entry["event"], entry.get("retried")) for entry in logs]
    assert events == [
        *[(f"{event}_failed", True)] * (MAX_ATTEMPTS - 1),
        (f"{event}_failed", False),
        (f"{event}_not_queued", None),
    ]
    text = repr(logs)
    for personal in (EMAIL, STAFF_EMAIL, LINK_URL, "secret", "Zuleika", "Nadia"):
        assert personal not in text


async def test_an_account_email_is_sent_once_dated_and_logged_by_id(
    db_settings, sites, smtp, clock
):
    table, message_id = await queue_with_link("account", clock)
    clock.advance(timedelta(seconds=5))
    with capture_logs() as logs:
        await send_account_queued(message_id, sites=sites, clock=clock)
        await send_account_queued(message_id, sites=sites, clock=clock)
    assert len(smtp.received) == 1 and smtp.received[0][1] == [STAFF_EMAIL]
    assert LINK_URL in smtp.parsed().get_content()
    sent = await stored(table, message_id)
    assert (sent["status"], sent["attempts"], sent["link"]) == ("sent", 1, "")
    assert sent["sent_at"] == clock.now()
    events = [entry["event"] for entry in logs]
    assert events == ["account_message_sent", "account_message_not_queued"]
    assert {entry["message_id"] for entry in logs} == {message_id}
    assert STAFF_EMAIL not in repr(logs) and LINK_URL not in repr(logs)


async def test_an_invalid_context_stores_nothing(db_settings, clock):
    learner_id = await add_learner()
    with pytest.raises(ValueError, match="at least one reason"):
        await notify(
            learner_id,
            "application_decision",
            {"program": "Atelier", "site_name": "Paris", "decision": "refused"},
            clock=clock,
        )
    with pytest.raises(ValueError, match="unknown_template"):
        await notify(learner_id, "unknown_template", RECEIVED, clock=clock)
    assert await Message.count() == 0
    assert await Job.count() == 0


async def test_merging_learners_moves_their_messages(db_settings, clock):
    kept, removed = await add_learner(), await add_learner(email="other@example.org")
    moved = await notify(removed, "application_received", RECEIVED, clock=clock)
    await service.move_messages(removed, kept)
    assert (await message(moved))["learner"] == kept


# The API ---------------------------------------------------------------------------------------


@pytest.fixture
async def recorded(client, people, clock) -> AsyncIterator[dict[str, int]]:
    """Three Paris messages (two for one learner) and one Bordeaux message, all queued."""
    paris, other, bordeaux = (
        await add_learner(),
        await add_learner(email="second@example.org"),
        await add_learner(site="bordeaux"),
    )
    ids = {}
    for name, learner_id in (("first", paris), ("second", other), ("third", paris)):
        ids[name] = await notify(learner_id, "application_received", RECEIVED, clock=clock)
        clock.advance(timedelta(minutes=1))
    ids["bordeaux"] = await notify(
        bordeaux,
        "application_received",
        {"program": "Atelier", "site_name": "Bordeaux"},
        clock=clock,
    )
    ids["paris_learner"] = paris
    yield ids


async def test_site_managers_list_their_sites_messages_newest_first(client, people, recorded):
    paris = await client.get("/api/v1/messages", headers=people.auth("paris_manager"))
    assert paris.status_code == 200, paris.text
    assert [item["id"] for item in paris.json()["items"]] == [
        recorded["third"],
        recorded["second"],
        recorded["first"],
    ]
    bordeaux = await client.get("/api/v1/messages", headers=people.auth("bordeaux_manager"))
    assert [item["id"] for item in bordeaux.json()["items"]] == [recorded["bordeaux"]]
    admin = await client.get("/api/v1/messages", headers=people.auth("admin"))
    assert admin.json()["total"] == 4
    trainer = await client.get("/api/v1/messages", headers=people.auth("paris_trainer"))
    assert trainer.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    central = await client.get("/api/v1/messages", headers=people.auth("central"))
    assert central.status_code == 403


async def test_messages_are_filtered_by_learner_and_paginated(client, people, recorded):
    headers = people.auth("paris_manager")
    by_learner = await client.get(
        "/api/v1/messages", params={"learner": recorded["paris_learner"]}, headers=headers
    )
    assert [item["id"] for item in by_learner.json()["items"]] == [
        recorded["third"],
        recorded["first"],
    ]
    page = await client.get("/api/v1/messages", params={"limit": 1, "offset": 1}, headers=headers)
    assert page.json()["total"] == 3
    assert [item["id"] for item in page.json()["items"]] == [recorded["second"]]
    queued = await client.get("/api/v1/messages", params={"status": "queued"}, headers=headers)
    assert queued.json()["total"] == 3
    unknown = await client.get("/api/v1/messages", params={"status": "lost"}, headers=headers)
    assert unknown.status_code == 400
    too_many = await client.get("/api/v1/messages", params={"limit": 500}, headers=headers)
    assert too_many.status_code == 400


async def test_one_message_shows_its_text_within_its_site_only(client, people, recorded):
    url = f"/api/v1/messages/{recorded['first']}"
    mine = await client.get(url, headers=people.auth("paris_manager"))
    assert mine.status_code == 200, mine.text
    assert mine.json()["body"].startswith("Bonjour Zuleika,")
    assert mine.json()["template"] == "application_received"
    theirs = await client.get(url, headers=people.auth("bordeaux_manager"))
    assert theirs.status_code == 404
    assert theirs.headers["content-type"].startswith("application/problem+json")
