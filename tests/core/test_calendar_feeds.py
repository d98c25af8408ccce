"""Calendar feeds: iCalendar built from the sessions, stable UIDs, secret revocable addresses."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import structlog
from icalendar import Calendar
from structlog.testing import capture_logs

from tests.enrolment import admitted, enrol

PARIS = ZoneInfo("Europe/Paris")
RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


async def planned(client, people, cohort=None, who="paris_manager", **changes):
    """The cohort (Paris's by default) with its rhythm, in salle A, planned."""
    cohort = cohort or people.paris_cohort
    body = RHYTHM | {"room": "salle-a"} | changes
    changed = await client.patch(f"/api/v1/cohorts/{cohort}", json=body, headers=people.auth(who))
    assert changed.status_code == 200, changed.text
    plan = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=people.auth(who))
    assert plan.status_code == 200, plan.text
    return plan.json()["items"]


async def new_feed(client, people, who="paris_manager", expect=201, **body):
    response = await client.post("/api/v1/calendar-feeds", json=body, headers=people.auth(who))
    assert response.status_code == expect, response.text
    return response.json()


async def cohort_feed(client, people, who="paris_manager"):
    return await new_feed(client, people, who, kind="cohort", cohort=people.paris_cohort)


async def read(client, feed):
    """The feed's address as a calendar app reads it: no credentials."""
    return await client.get(urlsplit(feed["url"]).path)


async def events(client, feed):
    response = await read(client, feed)
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content).events


async def account_id(client, people, who):
    return (await client.get("/api/v1/auth/me", headers=people.auth(who))).json()["id"]


async def test_a_cohort_feed_has_one_event_per_session_in_the_site_zone(client, people):
    sessions = await planned(client, people)
    feed = await cohort_feed(client, people)
    assert feed["kind"] == "cohort" and feed["cohort"] == people.paris_cohort
    assert feed["url"].startswith("http://testserver/calendar/")
    assert feed["url"].endswith(".ics")
    response = await read(client, feed)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    found = calendar.events
    assert len(found) == len(sessions) == 2
    first = found[0]
    assert first.start == datetime(2026, 10, 5, 9, 30, tzinfo=PARIS)
    assert first.end == datetime(2026, 10, 5, 11, 30, tzinfo=PARIS)
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [str(e["UID"]) for e in found] == [
        f"cohort-{people.paris_cohort}-session-1@essaim",
        f"cohort-{people.paris_cohort}-session-2@essaim",
    ]
    assert str(first["SUMMARY"]) == "Initiation paris — Les bases (1/2)"
    assert str(first["LOCATION"]) == "Paris, Salle A"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert calendar.calendar_name == "Initiation paris (Paris)"


async def test_a_second_export_of_an_unchanged_cohort_is_byte_identical(client, people, clock):
    await planned(client, people)
    feed = await cohort_feed(client, people)
    first = await read(client, feed)
    clock.advance(timedelta(hours=3))
    second = await read(client, feed)
    assert second.content == first.content
    # The same bytes make the same ETag: an app that polls downloads nothing new.
    again = await client.get(
        urlsplit(feed["url"]).path, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


async def test_replanning_keeps_the_uid_of_each_sequence(client, people, clock):
    await planned(client, people)
    feed = await cohort_feed(client, people)
    before = {str(e["UID"]): e for e in await events(client, feed)}
    clock.advance(timedelta(days=1))
    await planned(client, people, weekdays=[2])  # Tuesdays now: new rows, new ids
    after = {str(e["UID"]): e for e in await events(client, feed)}
    assert after.keys() == before.keys()
    uid = f"cohort-{people.paris_cohort}-session-1@essaim"
    assert before[uid].start == datetime(2026, 10, 5, 9, 30, tzinfo=PARIS)
    assert after[uid].start == datetime(2026, 10, 6, 9, 30, tzinfo=PARIS)
    # The stamp follows the session's row: a moved session tells apps it changed.
    assert after[uid].DTSTAMP > before[uid].DTSTAMP


async def test_a_revoked_or_wrong_address_answers_404_alike(client, people):
    await planned(client, people)
    feed = await cohort_feed(client, people)
    kept = await cohort_feed(client, people)
    revoked = await client.delete(
        f"/api/v1/calendar-feeds/{feed['id']}", headers=people.auth("paris_manager")
    )
    assert revoked.status_code == 204
    gone = await read(client, feed)
    wrong = await client.get("/calendar/" + "x" * 43 + ".ics")
    not_ics = await client.get(urlsplit(kept["url"]).path.removesuffix(".ics"))
    assert gone.status_code == wrong.status_code == not_ics.status_code == 404
    assert gone.json()["detail"] == wrong.json()["detail"] == not_ics.json()["detail"]
    assert (await read(client, kept)).status_code == 200, "one revocation revokes one feed"
    listed = await client.get("/api/v1/calendar-feeds", headers=people.auth("paris_manager"))
    by_id = {item["id"]: item for item in listed.json()["items"]}
    assert by_id[feed["id"]]["revoked_at"] is not None
    assert by_id[kept["id"]]["revoked_at"] is None
    secrets = [urlsplit(f["url"]).path.split("/")[-1].removesuffix(".ics") for f in (feed, kept)]
    assert not any(secret in listed.text for secret in secrets)
    assert "url" not in by_id[kept["id"]]


async def test_only_the_hash_of_the_secret_is_stored_and_no_log_holds_it(client, people):
    from core.scheduling.tables import CalendarFeed

    await planned(client, people)
    feed = await cohort_feed(client, people)
    secret = urlsplit(feed["url"]).path.split("/")[-1].removesuffix(".ics")
    rows = await CalendarFeed.select()
    assert len(rows) == 1
    assert secret not in repr(rows)
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        assert (await read(client, feed)).status_code == 200
    assert logs and secret not in repr(logs)


async def test_scope_decides_who_subscribes_to_what(client, people):
    await planned(client, people)
    trainer = await account_id(client, people, "paris_trainer")
    paris = {"kind": "cohort", "cohort": people.paris_cohort}
    room = {"kind": "room", "site": "paris", "room": "salle-a"}
    await new_feed(client, people, "central", 403, **paris)
    listed = await client.get("/api/v1/calendar-feeds", headers=people.auth("central"))
    assert listed.status_code == 403
    await new_feed(client, people, "bordeaux_manager", 404, **paris)
    await new_feed(client, people, "bordeaux_manager", 404, **room)
    await new_feed(client, people, "bordeaux_manager", 404, kind="trainer", trainer=trainer)
    await new_feed(client, people, "paris_trainer", 403, **room)
    admin = await account_id(client, people, "admin")
    await new_feed(client, people, "paris_trainer", 403, kind="trainer", trainer=admin)
    await new_feed(
        client, people, "paris_trainer", 404, kind="cohort", cohort=people.bordeaux_cohort
    )
    await new_feed(client, people, "paris_trainer", 201, **paris)
    await new_feed(client, people, "paris_trainer", 201, kind="trainer", trainer=trainer)
    await new_feed(client, people, "paris_manager", 201, **room)
    await new_feed(client, people, "paris_manager", 201, kind="trainer", trainer=trainer)
    stranger = await account_id(client, people, "bordeaux_manager")
    await new_feed(client, people, "paris_manager", 404, kind="trainer", trainer=stranger)
    await new_feed(client, people, "admin", 201, kind="cohort", cohort=people.bordeaux_cohort)
    await new_feed(client, people, "admin", 201, kind="trainer", trainer=stranger)
    await new_feed(client, people, "admin", 422, kind="room", site="bordeaux", room="x")


async def test_a_feed_from_another_site_is_neither_listed_nor_revoked(client, people):
    await planned(client, people)
    feed = await cohort_feed(client, people)
    other = await client.delete(
        f"/api/v1/calendar-feeds/{feed['id']}", headers=people.auth("bordeaux_manager")
    )
    assert other.status_code == 404
    listed = await client.get("/api/v1/calendar-feeds", headers=people.auth("bordeaux_manager"))
    assert listed.json()["total"] == 0
    by_admin = await client.get("/api/v1/calendar-feeds", headers=people.auth("admin"))
    assert [item["id"] for item in by_admin.json()["items"]] == [feed["id"]]
    assert (await read(client, feed)).status_code == 200


async def test_a_wrong_body_names_its_field(client, people):
    cases = [
        ({"kind": "cohort"}, "cohort"),
        ({"kind": "cohort", "cohort": people.paris_cohort, "room": "salle-a"}, "room"),
        ({"kind": "room", "site": "paris"}, "room"),
        ({"kind": "room", "site": "paris", "room": "salle-z"}, "room"),
        ({"kind": "trainer", "trainer": 999}, "trainer"),
    ]
    for body, field in cases:
        response = await client.post(
            "/api/v1/calendar-feeds", json=body, headers=people.auth("paris_manager")
        )
        assert response.status_code in (404, 422), (body, response.text)
        assert [error["field"] for error in response.json()["errors"]] == [field], body


async def test_room_and_trainer_feeds_follow_their_sessions_within_reach(client, people):
    trainer = await account_id(client, people, "paris_trainer")
    await planned(client, people, lead_trainer=trainer)
    # The same trainer also leads the Bordeaux cohort (no room there).
    await planned(
        client,
        people,
        people.bordeaux_cohort,
        who="admin",
        room=None,
        lead_trainer=trainer,
        day_starts="14:00:00",
        day_ends="16:00:00",
    )
    room = await new_feed(client, people, kind="room", site="paris", room="salle-a")
    own = await new_feed(client, people, "paris_trainer", kind="trainer", trainer=trainer)
    managed = await new_feed(client, people, "paris_manager", kind="trainer", trainer=trainer)
    assert len(await events(client, room)) == 2
    own_events = await events(client, own)
    assert len(own_events) == 4, "a trainer's own feed holds all their sessions"
    assert len(await events(client, managed)) == 2, "a manager's feed stays within their sites"
    bordeaux = [e for e in own_events if str(e["LOCATION"]) == "Bordeaux"]
    assert [e.start.time().isoformat() for e in bordeaux] == ["14:00:00", "14:00:00"]
    calendar = Calendar.from_ical((await read(client, own)).content)
    assert calendar.calendar_name == "Séances du formateur"


async def test_a_feed_holds_no_learner_data_and_no_email_address(client, people):
    await planned(client, people, lead_trainer=await account_id(client, people, "paris_trainer"))
    application = await admitted(
        client, people, first_name="Amina", last_name="Benali", email="amina.benali@example.org"
    )
    await enrol(client, people, people.paris_cohort, application)
    texts = []
    for who, body in [
        ("paris_manager", {"kind": "cohort", "cohort": people.paris_cohort}),
        ("paris_manager", {"kind": "room", "site": "paris", "room": "salle-a"}),
        (
            "paris_trainer",
            {"kind": "trainer", "trainer": await account_id(client, people, "paris_trainer")},
        ),
    ]:
        feed = await new_feed(client, people, who, **body)
        texts.append((await read(client, feed)).text)
    for text in texts:
        assert "BEGIN:VEVENT" in text
        assert not EMAIL.search(text), EMAIL.search(text)
        for personal in ("Amina", "Benali", "paris_trainer", "paris_manager", "example.org"):
            assert personal not in text


async def test_a_feed_stops_with_its_creator_and_keeps_to_its_window(client, people, clock):
    from core.auth.tables import Account

    await planned(client, people)
    by_trainer = await cohort_feed(client, people, "paris_trainer")
    by_manager = await cohort_feed(client, people)
    await Account.update({Account.active: False}).where(
        Account.email == "paris_trainer@example.org"
    )
    assert (await read(client, by_trainer)).status_code == 404
    assert len(await events(client, by_manager)) == 2
    clock.advance(timedelta(days=200))  # the sessions of October are now 5 months old
    assert await events(client, by_manager) == []
