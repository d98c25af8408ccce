"""Accounts managed where the people are (issue 8): a site's team, invitations, deactivation
and password resets, through the services and the API, on both engines. The e-mails go
through the jobs table to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.audit.tables import AuditEntry
from core.auth import links, recovery, throttle
from core.auth.tables import Account, AccountLink
from core.notifications.tables import AccountMessage
from tests.conftest import PASSWORD
from tests.core import test_notifications as mail

# The loopback SMTP server, Paris's mail settings pointing at it, and the worker.
inbox, sites_dir, sites, smtp, worker = (
    mail.inbox,
    mail.sites_dir,
    mail.sites,
    mail.smtp,
    mail.worker,
)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

INVITED = "nadia.invitee@example.org"
NEW_PASSWORD = "une phrase assez longue"


def invitation(people, **changes):
    return {
        "email": INVITED,
        "display_name": "Nadia Invitée",
        "role": "trainer",
        "cohorts": [people.paris_cohort],
    } | changes


async def invite(client, people, who="paris_manager", site="paris", **changes):
    return await client.post(
        f"/api/v1/sites/{site}/accounts",
        json=invitation(people, **changes),
        headers=people.auth(who),
    )


async def latest_secret(account_id: int) -> str:
    """The secret of the account's newest e-mail still waiting for the worker."""
    row = (
        await AccountMessage.select(AccountMessage.link)
        .where(AccountMessage.account == account_id)
        .order_by(AccountMessage.id, ascending=False)
        .first()
    )
    assert row and row["link"], "no link waiting"
    return row["link"].rpartition("/")[2]


async def login(client, email, password):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_a_site_manager_invites_a_trainer_who_chooses_a_password(
    client,
    people,
    clock,
    worker,
    smtp,
):
    invited = await invite(client, people)
    assert invited.status_code == 201, invited.text
    account = invited.json()
    assert (account["role"], account["status"], account["cohorts"]) == (
        "trainer",
        "invited",
        [people.paris_cohort],
    )
    assert (await login(client, INVITED, PASSWORD)).status_code == 401

    secret = await latest_secret(account["id"])
    stored = await AccountLink.select(AccountLink.token_hash).first()
    assert stored is not None and secret not in str(stored)
    await mail.drain(worker, clock)
    sent = smtp.parsed()
    assert sent["To"] == INVITED
    assert sent["Subject"] == "Essaim : votre compte à l'antenne de Paris"
    text = sent.get_content()
    assert f"http://testserver/mot-de-passe/{secret}" in text
    assert "Ce lien marche une seule fois." in text
    message = await AccountMessage.select().first()
    assert message["status"] == "sent" and message["link"] == ""
    assert secret not in message["body"]

    info = await links.use(secret, NEW_PASSWORD, NEW_PASSWORD, clock)
    assert info.account_id == account["id"]
    assert (await login(client, INVITED, NEW_PASSWORD)).status_code == 200
    listed = await client.get("/api/v1/sites/paris/accounts", headers=people.auth("paris_manager"))
    statuses = {member["email"]: member["status"] for member in listed.json()}
    assert statuses[INVITED] == "active"
    assert statuses["paris_trainer@example.org"] == "active"
    assert "bordeaux_manager@example.org" not in statuses


async def test_a_link_works_once_and_not_after_it_expires(client, people, clock):
    account = (await invite(client, people)).json()
    secret = await latest_secret(account["id"])
    with pytest.raises(links.InvalidLink):
        await links.use("not-a-secret", NEW_PASSWORD, NEW_PASSWORD, clock)
    with pytest.raises(links.InvalidField) as short:
        await links.use(secret, "court", "court", clock)
    assert short.value.field == "password"
    with pytest.raises(links.InvalidField) as differ:
        await links.use(secret, NEW_PASSWORD, NEW_PASSWORD + "!", clock)
    assert differ.value.field == "confirmation"
    await links.use(secret, NEW_PASSWORD, NEW_PASSWORD, clock)
    with pytest.raises(links.InvalidLink):
        await links.use(secret, NEW_PASSWORD, NEW_PASSWORD, clock)

    other = (await invite(client, people, email="autre@example.org")).json()
    late = await latest_secret(other["id"])
    clock.advance(links.LIFETIME[links.Purpose.INVITATION] + timedelta(seconds=1))
    with pytest.raises(links.InvalidLink):
        await links.find(late, clock)


@pytest.mark.parametrize(
    ("who", "site", "changes", "status", "field"),
    [
        ("bordeaux_manager", "paris", {}, 404, None),
        ("paris_trainer", "paris", {}, 404, None),
        ("central", "paris", {}, 403, None),
        ("paris_manager", "bordeaux", {}, 404, None),
        ("paris_manager", "paris", {"role": "admin"}, 400, None),
        ("paris_manager", "paris", {"cohorts": []}, 422, "cohorts"),
        ("paris_manager", "paris", {"email": "admin@example.org"}, 409, "email"),
    ],
)
async def test_an_invitation_out_of_reach_or_wrong_is_refused(
    client, people, who, site, changes, status, field
):
    answer = await invite(client, people, who=who, site=site, **changes)
    assert answer.status_code == status, answer.text
    if field:
        assert answer.json()["errors"][0]["field"] == field
    assert not await Account.exists().where(Account.email == INVITED)


async def test_a_cohort_of_another_site_is_refused_and_admins_invite_anywhere(client, people):
    elsewhere = await invite(client, people, cohorts=[people.bordeaux_cohort])
    assert elsewhere.status_code == 422
    assert "not a cohort of the site" in elsewhere.json()["detail"]
    manager = await invite(
        client, people, who="admin", site="bordeaux", role="site_manager", cohorts=[]
    )
    assert manager.status_code == 201, manager.text
    assert manager.json()["sites"] == ["bordeaux"]


async def test_a_deactivated_account_cannot_sign_in_and_its_token_stops_working(
    client, people, clock
):
    me = await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))
    trainer = me.json()["id"]
    session = await login(client, "paris_trainer@example.org", PASSWORD)
    assert session.status_code == 200
    cookie = session.cookies["essaim_session"]
    client.cookies.clear()

    refused = await client.post(
        f"/api/v1/accounts/{trainer}/deactivate", headers=people.auth("bordeaux_manager")
    )
    assert refused.status_code == 404
    done = await client.post(
        f"/api/v1/accounts/{trainer}/deactivate", headers=people.auth("paris_manager")
    )
    assert done.status_code == 200 and done.json()["status"] == "deactivated"
    assert (
        await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))
    ).status_code == 401
    by_cookie = await client.get("/api/v1/auth/me", headers={"Cookie": f"essaim_session={cookie}"})
    assert by_cookie.status_code == 401
    assert (await login(client, "paris_trainer@example.org", PASSWORD)).status_code == 401

    mine = await client.get("/api/v1/auth/me", headers=people.auth("paris_manager"))
    myself = await client.post(
        f"/api/v1/accounts/{mine.json()['id']}/deactivate", headers=people.auth("paris_manager")
    )
    assert myself.status_code == 409

    back = await client.post(f"/api/v1/accounts/{trainer}/reactivate", headers=people.auth("admin"))
    assert back.json()["status"] == "active"
    assert (await login(client, "paris_trainer@example.org", PASSWORD)).status_code == 200
    actions = [
        (row["action"], row["details"])
        for row in await AuditEntry.select(AuditEntry.action, AuditEntry.details)
        .where(AuditEntry.target_type == "account")
        .order_by(AuditEntry.id)
    ]
    assert [action for action, _ in actions] == ["account.deactivated", "account.reactivated"]


async def test_a_reset_is_answered_alike_for_any_address_and_revokes_sessions(
    client,
    people,
    clock,
    sites,
):
    session = await login(client, "paris_trainer@example.org", PASSWORD)
    cookie = session.cookies["essaim_session"]
    client.cookies.clear()
    base = "https://essaim.example.org"
    await recovery.request_reset("nobody@example.org", sites=sites, clock=clock, link_base=base)
    assert await AccountMessage.count() == 0
    await recovery.request_reset(
        " Paris_Trainer@example.org", sites=sites, clock=clock, link_base=base
    )
    message = await AccountMessage.select().first()
    assert message["site"] == "paris" and message["link"].startswith(base + "/mot-de-passe/")
    assert message["subject"] == "Essaim : changer votre mot de passe"

    secret = message["link"].rpartition("/")[2]
    await links.use(secret, NEW_PASSWORD, NEW_PASSWORD, clock)
    by_cookie = await client.get("/api/v1/auth/me", headers={"Cookie": f"essaim_session={cookie}"})
    assert by_cookie.status_code == 401
    assert (await login(client, "paris_trainer@example.org", NEW_PASSWORD)).status_code == 200
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.details).where(
        AuditEntry.target_type == "account"
    )
    assert {row["action"] for row in entries} == {"account.reset_requested", "account.password_set"}
    assert "example.org" not in str(entries)


async def test_resets_are_limited_per_address(people, clock, sites):
    for _ in range(throttle.RESET_LIMIT + 2):
        await recovery.request_reset(
            "paris_trainer@example.org", sites=sites, clock=clock, link_base="http://x"
        )
    assert await AccountMessage.count() == throttle.RESET_LIMIT
    clock.advance(throttle.WINDOW)
    await recovery.request_reset(
        "paris_trainer@example.org", sites=sites, clock=clock, link_base="http://x"
    )
    assert await AccountMessage.count() == throttle.RESET_LIMIT + 1
    used = await AccountLink.count().where(AccountLink.used_at.is_null())
    assert used == 1  # each new link replaced the one before


async def test_an_invitation_is_sent_again_with_a_new_link(client, people, clock):
    account = (await invite(client, people)).json()
    first = await latest_secret(account["id"])
    again = f"/api/v1/accounts/{account['id']}/invitation"
    assert (await client.post(again, headers=people.auth("bordeaux_manager"))).status_code == 404
    assert (await client.post(again, headers=people.auth("central"))).status_code == 403
    resent = await client.post(again, headers=people.auth("paris_manager"))
    assert resent.status_code == 201 and resent.json()["status"] == "invited"
    second = await latest_secret(account["id"])
    assert second != first
    with pytest.raises(links.InvalidLink):
        await links.find(first, clock)
    await links.use(second, NEW_PASSWORD, NEW_PASSWORD, clock)
    assert (await client.post(again, headers=people.auth("paris_manager"))).status_code == 409
    actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.target_type == "account")
    assert [row["action"] for row in actions] == [
        "account.invited",
        "account.invitation_resent",
        "account.password_set",
    ]


async def test_resets_are_limited_per_client_whatever_the_addresses(people, clock, sites):
    for n in range(throttle.RESET_ADDRESS_LIMIT - 1):
        await recovery.request_reset(
            f"inconnu{n}@example.org", sites=sites, clock=clock, link_base="http://x"
        )
    await recovery.request_reset(
        "paris_trainer@example.org", sites=sites, clock=clock, link_base="http://x"
    )
    await recovery.request_reset(
        "admin@example.org", sites=sites, clock=clock, link_base="http://x"
    )
    assert await AccountMessage.count() == 1
