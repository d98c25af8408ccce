"""Outcomes: what became of learners at exit and at the follow-ups after it (RULES.md O1, O2),
recorded by the site team, replaced with an audit trail of codes, and listed when due.

The Paris and Bordeaux cohorts of the ``people`` fixture end on 5 November 2026. Paris follows
up at the default 3 and 6 months; tests/sites/bordeaux.toml at 1 and 12 months.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from core.outcomes.rules import (
    OutcomeStatus,
    add_months,
    due_on,
    is_positive,
    latest_exit_due_by,
)
from tests.applications import make_learner
from tests.enrolment import admitted, enrol

EXIT_DAY = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
"""10:00 in Paris on the cohorts' last day."""

JOB = {
    "status": "fixed_term_job",
    "source": "phone",
    "employer_or_school": "Boulangerie Martin",
    "starts_on": "2026-11-16",
}
SEARCHING = {"status": "still_searching", "source": "email"}


def move_to(clock, instant: datetime) -> None:
    clock.advance(instant - clock.now())


async def enrolled(client, people, site="paris", n=1) -> list[int]:
    """``n`` people enrolled in the site's cohort of the ``people`` fixture: their enrolments."""
    who, cohort = f"{site}_manager", getattr(people, f"{site}_cohort")
    enrolments = []
    for _ in range(n):
        application = await admitted(client, people, who=who, site=site)
        enrolments.append((await enrol(client, people, cohort, application, who=who))["id"])
    return enrolments


async def put(client, people, enrolment, checkpoint, body, who="paris_manager"):
    return await client.put(
        f"/api/v1/enrolments/{enrolment}/outcomes/{checkpoint}",
        json=body,
        headers=people.auth(who),
    )


async def outcomes(client, people, enrolment, who="paris_manager"):
    return await client.get(f"/api/v1/enrolments/{enrolment}/outcomes", headers=people.auth(who))


async def due(client, people, on, site="paris", who="paris_manager", **params):
    response = await client.get(
        f"/api/v1/sites/{site}/outcomes/due",
        params={"on": on, **params},
        headers=people.auth(who),
    )
    assert response.status_code == 200, response.text
    return response.json()


async def withdraw(client, people, enrolment):
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/withdraw",
        json={"reason": "Déménagement."},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 201, response.text


async def audit(client, people, action):
    response = await client.get(
        "/api/v1/audit", params={"action": action}, headers=people.auth("admin")
    )
    return response.json()["items"]


# RULES.md O1 -------------------------------------------------------------------------------

POSITIVE = {
    OutcomeStatus.PERMANENT_JOB: True,
    OutcomeStatus.FIXED_TERM_JOB: True,
    OutcomeStatus.WORK_STUDY: True,
    OutcomeStatus.BUSINESS_CREATION: True,
    OutcomeStatus.QUALIFYING_TRAINING: True,
    OutcomeStatus.INTERNSHIP: False,
    OutcomeStatus.STILL_SEARCHING: False,
    OutcomeStatus.UNKNOWN: False,
    OutcomeStatus.OTHER: False,
}


def test_every_status_is_classified() -> None:
    assert set(POSITIVE) == set(OutcomeStatus)


@pytest.mark.parametrize(("status", "positive"), POSITIVE.items(), ids=str)
def test_is_positive(status: OutcomeStatus, positive: bool) -> None:
    assert is_positive(status) is positive
    assert status.positive is positive
    assert status.known is (status is not OutcomeStatus.UNKNOWN)


# RULES.md O2: due dates --------------------------------------------------------------------


def test_months_are_added_within_the_month_they_land_in() -> None:
    assert add_months(date(2026, 11, 5), 3) == date(2027, 2, 5)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)


@pytest.mark.parametrize("checkpoint", [0, 1, 3, 6, 12, 36])
def test_the_latest_exit_due_by_a_day_is_exact(checkpoint: int) -> None:
    """For every day of two years: the bound's follow-up is due by then, the next day's is not."""
    day = date(2027, 1, 1)
    while day < date(2029, 1, 1):
        bound = latest_exit_due_by(day, checkpoint)
        assert due_on(bound, checkpoint) <= day
        assert due_on(bound + timedelta(days=1), checkpoint) > day, (day, bound)
        day += timedelta(days=1)


# Recording ---------------------------------------------------------------------------------


async def test_a_manager_records_an_outcome_and_a_second_record_replaces_it(client, people, clock):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    response = await put(client, people, enrolment, "exit", JOB)
    assert response.status_code == 200, response.text
    recorded = response.json()
    assert (recorded["checkpoint"], recorded["due_on"], recorded["positive"]) == (
        0,
        "2026-11-05",
        True,
    )
    assert recorded["outcome"] == JOB | {
        "recorded_at": "2026-11-05T09:00:00Z",
        "recorded_by": recorded["outcome"]["recorded_by"],
    }

    clock.advance(timedelta(days=1))
    replaced = await put(client, people, enrolment, "0", SEARCHING, who="admin")
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["positive"] is False
    assert replaced.json()["outcome"]["employer_or_school"] == ""

    response = await outcomes(client, people, enrolment)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["enrolment"], body["cohort"], body["exit_on"]) == (
        enrolment,
        people.paris_cohort,
        "2026-11-05",
    )
    assert [
        (c["checkpoint"], c["due_on"], c["positive"], c["outcome"] and c["outcome"]["status"])
        for c in body["checkpoints"]
    ] == [
        (0, "2026-11-05", False, "still_searching"),
        (3, "2027-02-05", None, None),
        (6, "2027-05-05", None, None),
    ]


async def test_the_audit_trail_keeps_codes_and_ids_never_free_text(client, people, clock):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    await put(client, people, enrolment, "exit", JOB)
    await put(client, people, enrolment, "exit", JOB | {"status": "permanent_job"})
    # The same record again changes nothing, and is not audited.
    await put(client, people, enrolment, "exit", JOB | {"status": "permanent_job"})
    [first] = await audit(client, people, "outcome.recorded")
    [second] = await audit(client, people, "outcome.replaced")
    for entry in (first, second):
        assert (entry["target_type"], entry["target_id"]) == ("enrolment", enrolment)
        assert "Boulangerie" not in json.dumps(entry)
    assert first["details"] == {
        "checkpoint": 0,
        "status": "fixed_term_job",
        "source": "phone",
        "outcome": first["details"]["outcome"],
    }
    assert second["details"] == {
        "checkpoint": 0,
        "status": "permanent_job",
        "source": "phone",
        "fields": ["status"],
        "replaced_status": "fixed_term_job",
        "replaced_source": "phone",
        "replaced_recorded_by": first["actor_id"],
        "outcome": first["details"]["outcome"],
    }


async def test_the_database_refuses_a_second_outcome_for_a_checkpoint(client, people, clock):
    import sqlite3

    import asyncpg

    from core.outcomes.tables import Outcome

    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    await put(client, people, enrolment, "exit", JOB)
    [row] = await Outcome.select().where(Outcome.enrolment == enrolment)
    del row["id"]
    with pytest.raises((sqlite3.IntegrityError, asyncpg.UniqueViolationError)):
        await Outcome.insert(Outcome(**row))


async def test_a_follow_up_is_recorded_from_its_due_day(client, people, clock):
    [enrolment] = await enrolled(client, people)
    early = await put(client, people, enrolment, "exit", JOB)
    assert early.status_code == 409
    assert "due on 2026-11-05" in early.json()["detail"]
    move_to(clock, EXIT_DAY)
    three = await put(client, people, enrolment, "3", JOB)
    assert three.status_code == 409
    assert "3-month follow-up" in three.json()["detail"]
    move_to(clock, datetime(2027, 2, 5, 9, 0, tzinfo=UTC))
    assert (await put(client, people, enrolment, "3", JOB)).status_code == 200


async def test_a_learner_not_reached_is_unknown_and_not_positive(client, people, clock):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    response = await put(
        client, people, enrolment, "exit", {"status": "unknown", "source": "phone"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["positive"] is False
    assert response.json()["outcome"]["status"] == "unknown"


@pytest.mark.parametrize(
    ("checkpoint", "body", "status", "field"),
    [
        ("month_3", JOB, 422, "checkpoint"),
        ("4", JOB, 422, "checkpoint"),
        ("exit", JOB | {"status": "hired"}, 400, "$.status"),
        ("exit", JOB | {"source": "pigeon"}, 400, "$.source"),
        ("exit", JOB | {"starts_on": "16/11/2026"}, 400, "$.starts_on"),
        ("exit", JOB | {"employer_or_school": "x" * 201}, 400, "$.employer_or_school"),
        ("exit", JOB | {"note": "x"}, 400, "$"),
        ("exit", SEARCHING | {"employer_or_school": "Acme"}, 422, "employer_or_school"),
        (
            "exit",
            {"status": "unknown", "source": "phone", "starts_on": "2026-12-01"},
            422,
            "starts_on",
        ),
    ],
)
async def test_bad_input_is_refused_naming_its_field(
    client, people, clock, checkpoint, body, status, field
):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    response = await put(client, people, enrolment, checkpoint, body)
    assert response.status_code == status, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert all(
        c["outcome"] is None
        for c in (await outcomes(client, people, enrolment)).json()["checkpoints"]
    )


async def test_only_people_who_went_through_the_cohort_have_outcomes(client, people, clock):
    [enrolment] = await enrolled(client, people)
    await withdraw(client, people, enrolment)
    move_to(clock, EXIT_DAY)
    for response in (
        await put(client, people, enrolment, "exit", JOB),
        await outcomes(client, people, enrolment),
    ):
        assert response.status_code == 409
        assert response.json()["detail"].startswith(f"enrolment {enrolment} is withdrawn")


# Scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("bordeaux_manager", 404), ("central", 403), ("paris_trainer", 403), ("admin", 200)],
)
async def test_only_the_site_team_follows_outcomes(client, people, clock, who, status):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    assert (await put(client, people, enrolment, "exit", JOB, who=who)).status_code == status
    assert (await outcomes(client, people, enrolment, who=who)).status_code == status
    assert (await put(client, people, 999_999, "exit", JOB, who=who)).status_code == 404


@pytest.mark.parametrize(
    ("who", "site", "status"),
    [
        ("bordeaux_manager", "paris", 404),
        ("paris_trainer", "paris", 404),
        ("central", "paris", 403),
        ("admin", "lyon", 404),
        ("admin", "paris", 200),
    ],
)
async def test_the_due_list_is_the_site_teams(client, people, who, site, status):
    response = await client.get(f"/api/v1/sites/{site}/outcomes/due", headers=people.auth(who))
    assert response.status_code == status, response.text


# Follow-ups due ----------------------------------------------------------------------------


def listed(page) -> list[tuple[int, int, str]]:
    return [(item["enrolment"], item["checkpoint"], item["due_on"]) for item in page["items"]]


async def test_follow_ups_are_due_from_their_day_until_recorded(client, people, clock):
    awa, karim, gone = await enrolled(client, people, n=3)
    await enrolled(client, people, site="bordeaux")  # Bordeaux's to follow, not Paris's
    await withdraw(client, people, gone)
    assert (await due(client, people, "2026-11-04"))["total"] == 0
    page = await due(client, people, "2026-11-05")
    assert listed(page) == [(awa, 0, "2026-11-05"), (karim, 0, "2026-11-05")]
    item = page["items"][0]
    assert (item["cohort"], item["exit_on"], item["cohort_title"]) == (
        people.paris_cohort,
        "2026-11-05",
        "Initiation paris",
    )
    assert item["first_name"].startswith("Prénom")

    move_to(clock, EXIT_DAY)
    await put(client, people, awa, "exit", JOB)
    assert listed(await due(client, people, "2027-02-04")) == [(karim, 0, "2026-11-05")]
    everything = [(karim, 0, "2026-11-05"), (awa, 3, "2027-02-05"), (karim, 3, "2027-02-05")]
    assert listed(await due(client, people, "2027-02-05")) == everything
    first = await due(client, people, "2027-02-05", limit=2)
    rest = await due(client, people, "2027-02-05", limit=2, offset=2)
    assert (first["total"], rest["total"]) == (3, 3)
    assert listed(first) + listed(rest) == everything
    assert listed(await due(client, people, "2027-02-05", offset=1, limit=1)) == [everything[1]]


async def test_the_due_list_is_bounded(client, people):
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"on": "demain"}):
        response = await client.get(
            "/api/v1/sites/paris/outcomes/due", params=params, headers=people.auth("paris_manager")
        )
        assert response.status_code == 400, params


async def test_a_site_sets_its_follow_up_months(client, people, clock):
    [enrolment] = await enrolled(client, people, site="bordeaux")
    response = await outcomes(client, people, enrolment, who="bordeaux_manager")
    assert [(c["checkpoint"], c["due_on"]) for c in response.json()["checkpoints"]] == [
        (0, "2026-11-05"),
        (1, "2026-12-05"),
        (12, "2027-11-05"),
    ]
    page = await due(client, people, "2026-12-05", site="bordeaux", who="bordeaux_manager")
    assert listed(page) == [(enrolment, 0, "2026-11-05"), (enrolment, 1, "2026-12-05")]
    move_to(clock, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    refused = await put(client, people, enrolment, "3", JOB, who="bordeaux_manager")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "checkpoint",
            "message": "sites/bordeaux.toml follows up at exit and at 1, 12 months after it, "
            "not at 3",
        }
    ]
    assert (
        await put(client, people, enrolment, "1", JOB, who="bordeaux_manager")
    ).status_code == 200


async def test_a_learner_merge_takes_their_outcomes_along(client, people, clock):
    [enrolment] = await enrolled(client, people)
    move_to(clock, EXIT_DAY)
    await put(client, people, enrolment, "exit", JOB)
    removed = (await outcomes(client, people, enrolment)).json()["learner"]
    kept = await make_learner(client, people)
    response = await client.post(
        f"/api/v1/learners/{removed}/merge", json={"into": kept}, headers=people.auth("admin")
    )
    assert response.status_code == 200, response.text
    assert (await outcomes(client, people, enrolment)).json()["learner"] == kept


def test_show_and_diff_tell_the_follow_up_months(plugin_host) -> None:
    from core.sites import describe
    from core.sites.loader import load_sites
    from tests.conftest import TEST_SITES

    sites = load_sites(TEST_SITES, plugin_host)
    paris, bordeaux = sites.get("paris"), sites.get("bordeaux")
    assert "Suivi des sorties : à la sortie, puis 3 et 6 mois après" in describe.show(
        paris, plugin_host
    )
    assert "Suivi après la sortie : 3 et 6 mois à paris, 1 et 12 mois à bordeaux" in (
        describe.diff(paris, bordeaux, plugin_host)
    )
