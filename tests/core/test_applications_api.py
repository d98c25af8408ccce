"""Applications over the API: creation with its findings, C1 and C3, decisions and their
snapshots, scope, pagination and validation. The toy program stands for any program."""

from __future__ import annotations

from datetime import date

import pytest

from core.learners.tables import Learner
from tests.applications import apply, history, make_learner, move

SEVENTEEN_AT_COHORT_START = "2009-03-01"
"""17 on 1 September 2026 (the application date) and on 5 October 2026 (the cohort's start)."""
EIGHTEEN_BETWEEN = "2008-09-20"
"""17 on the application date, 18 when the test cohort starts on 5 October 2026."""


async def test_a_manager_records_an_application_with_its_findings(client, people):
    learner = await make_learner(client, people)
    created = await apply(client, people, learner)
    assert created["status"] == "submitted"
    assert created["eligible"] is True
    assert [(f["rule"], f["ok"]) for f in created["findings"]] == [("C1", True), ("ATL1", True)]
    assert created["next_statuses"] == ["screening", "rejected", "withdrawn"]
    fetched = await client.get(
        f"/api/v1/applications/{created['id']}", headers=people.auth("paris_manager")
    )
    assert fetched.json() == created


async def test_a_17_year_old_is_refused_with_a_reason_naming_c1(client, people):
    learner = await make_learner(client, people, birth_date=SEVENTEEN_AT_COHORT_START)
    created = await apply(client, people, learner, cohort=people.paris_cohort)
    assert created["status"] == "submitted"
    assert created["eligible"] is False
    [age] = [f for f in created["findings"] if f["rule"] == "C1"]
    assert age["ok"] is False
    assert "règle C1" in age["reason"]
    assert "18 ans" in age["reason"] and "5 octobre 2026" in age["reason"]
    assert "17 ans" in age["reason"]

    await move(client, people, created["id"], "screening")
    refused = await move(client, people, created["id"], "admitted", expect=409)
    assert "C1" in refused["detail"]
    assert refused["errors"] == [{"field": "to", "message": refused["detail"]}]
    assert [(f["rule"], f["ok"]) for f in refused["findings"]] == [
        ("C1", False),
        ("C3", True),
        ("ATL1", True),
    ]
    after = await client.get(
        f"/api/v1/applications/{created['id']}", headers=people.auth("paris_manager")
    )
    assert after.json()["status"] == "screening"
    kept = await history(client, people, created["id"])
    assert [(d["stage"], d["eligible"]) for d in kept["decisions"]] == [
        ("submission", False),
        ("admission", False),
    ]
    assert [e["to_status"] for e in kept["events"]] == ["submitted", "screening"]

    rejected = await move(
        client, people, created["id"], "rejected", reason="Trop jeune pour cette promotion."
    )
    assert rejected["status"] == "rejected"
    kept = await history(client, people, created["id"])
    assert kept["events"][-1]["decision"] == kept["decisions"][-1]["id"]
    assert kept["decisions"][-1]["stage"] == "rejection"


async def test_c1_counts_the_age_on_the_cohort_start_else_on_the_application_date(client, people):
    learner = await make_learner(client, people, birth_date=EIGHTEEN_BETWEEN)
    with_cohort = await apply(client, people, learner, cohort=people.paris_cohort)
    assert with_cohort["findings"][0]["ok"] is True
    assert "au début de la formation, le 5 octobre 2026" in with_cohort["findings"][0]["reason"]
    await move(client, people, with_cohort["id"], "withdrawn", reason="Préfère attendre.")
    without = await apply(client, people, learner)
    assert without["findings"][0]["ok"] is False
    assert "à la date de la candidature, le 1er septembre 2026" in without["findings"][0]["reason"]


async def test_an_unknown_birth_date_is_a_c1_finding_to_complete(client, people):
    learner = await make_learner(client, people, birth_date=None)
    created = await apply(client, people, learner)
    assert created["eligible"] is False
    assert "date de naissance" in created["findings"][0]["reason"]
    assert "règle C1" in created["findings"][0]["reason"]


async def test_the_owning_programs_rules_are_asked_with_the_track(client, people):
    """The toy's second track requires its first completed; no completion is recorded yet."""
    learner = await make_learner(client, people)
    created = await apply(client, people, learner, track="approfondissement")
    assert created["eligible"] is False
    assert created["findings"][-1] == {
        "rule": "ATL1",
        "ok": False,
        "reason": "Il faut d'abord finir l'initiation.",
        "referral": None,
    }


async def test_c3_admission_needs_an_entry_positioning(client, people):
    learner = await make_learner(client, people, french_level=None)
    created = await apply(client, people, learner)
    assert created["eligible"] is True
    await move(client, people, created["id"], "screening")
    refused = await move(client, people, created["id"], "admitted", expect=409)
    [c3] = [f for f in refused["findings"] if f["rule"] == "C3"]
    assert c3["ok"] is False and "règle C3" in c3["reason"]
    await Learner.update({Learner.french_level: "A2"}).where(Learner.id == learner)
    admitted = await move(client, people, created["id"], "admitted")
    assert admitted["status"] == "admitted" and admitted["eligible"] is True


async def test_a_decision_keeps_the_facts_it_was_taken_on(client, people):
    learner = await make_learner(client, people, birth_date="1995-02-03", french_level="B2")
    created = await apply(client, people, learner, cohort=people.paris_cohort)
    await move(client, people, created["id"], "screening")
    await move(client, people, created["id"], "admitted")
    before = await history(client, people, created["id"])
    [admission] = [d for d in before["decisions"] if d["stage"] == "admission"]
    assert admission["facts"] == {
        "learner": learner,
        "birth_date": "1995-02-03",
        "french_level": "B2",
        "program": "atelier",
        "track": "initiation",
        "cohort": people.paris_cohort,
        "cohort_start": "2026-10-05",
        "age_reference": "2026-10-05",
        "completions": [],
        "placements": [],
        "language_partners": [],
    }

    await Learner.update({Learner.birth_date: date(2010, 1, 1), Learner.french_level: "A1"}).where(
        Learner.id == learner
    )
    after = await history(client, people, created["id"])
    assert after["decisions"] == before["decisions"]


async def test_an_open_application_is_not_made_twice(client, people):
    learner = await make_learner(client, people)
    first = await apply(client, people, learner)
    body = await apply(client, people, learner, expect=409)
    assert body["errors"][0]["field"] == "learner"
    assert f"application {first['id']}" in body["detail"]
    await apply(client, people, learner, track="approfondissement")
    await move(client, people, first["id"], "withdrawn", reason="Erreur de saisie.")
    await apply(client, people, learner)


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"learner": None}, 400, "$.learner"),
        ({"learner": 0}, 400, "$.learner"),
        ({"program": "Atelier!"}, 400, "$.program"),
        ({"track": 7}, 400, "$.track"),
        ({"colour": "blue"}, 400, "$"),
        ({"program": "cuisine"}, 422, "program"),
        ({"track": "expert"}, 422, "track"),
        ({"learner": 9999}, 404, "learner"),
        ({"cohort": 9999}, 404, "cohort"),
        ({"site": "lyon"}, 404, "site"),
    ],
)
async def test_invalid_input_names_the_field(client, people, change, status, field):
    learner = await make_learner(client, people)
    body = await apply(client, people, learner, expect=status, **change)
    assert [error["field"] for error in body["errors"]] == [field]


async def test_a_cohort_must_match_the_site_program_and_track(client, people):
    learner = await make_learner(client, people)
    other_site = await apply(
        client, people, learner, who="admin", cohort=people.bordeaux_cohort, expect=422
    )
    assert other_site["errors"][0]["field"] == "cohort"
    hidden = await apply(client, people, learner, cohort=people.bordeaux_cohort, expect=404)
    assert hidden["errors"][0]["field"] == "cohort"
    wrong_track = await apply(
        client, people, learner, cohort=people.paris_cohort, track="approfondissement", expect=422
    )
    assert wrong_track["errors"][0]["field"] == "track"
    taken = await apply(client, people, learner, cohort=people.paris_cohort, track=None)
    assert (taken["cohort"], taken["track"]) == (people.paris_cohort, "initiation")


async def test_each_role_reaches_only_its_scope(client, people):
    paris = await apply(client, people, await make_learner(client, people))
    bordeaux_learner = await make_learner(client, people, who="bordeaux_manager", site="bordeaux")
    bordeaux = await apply(
        client, people, bordeaux_learner, who="bordeaux_manager", site="bordeaux"
    )

    async def listed(who):
        response = await client.get("/api/v1/applications", headers=people.auth(who))
        return response.status_code, [row["id"] for row in response.json().get("items", [])]

    assert await listed("paris_manager") == (200, [paris["id"]])
    assert await listed("bordeaux_manager") == (200, [bordeaux["id"]])
    assert await listed("admin") == (200, [bordeaux["id"], paris["id"]])
    assert await listed("paris_trainer") == (200, [])
    assert (await listed("central"))[0] == 403

    url = f"/api/v1/applications/{paris['id']}"
    for who, expected in [
        ("paris_manager", 200),
        ("admin", 200),
        ("bordeaux_manager", 404),
        ("paris_trainer", 404),
        ("central", 403),
    ]:
        assert (await client.get(url, headers=people.auth(who))).status_code == expected, who
        response = await client.get(f"{url}/history", headers=people.auth(who))
        assert response.status_code == expected, who
    await move(client, people, paris["id"], "screening", who="bordeaux_manager", expect=404)
    await move(client, people, paris["id"], "screening", who="paris_trainer", expect=404)
    await move(client, people, paris["id"], "screening", who="central", expect=403)
    await move(client, people, paris["id"], "screening", who="admin")


async def test_applications_are_made_only_by_the_sites_staff_for_their_learners(client, people):
    learner = await make_learner(client, people)
    body = await apply(client, people, learner, who="bordeaux_manager", expect=404)
    assert body["errors"][0]["field"] == "site"
    await apply(client, people, learner, who="central", expect=403)
    await apply(client, people, learner, who="paris_trainer", expect=404)
    bordeaux_learner = await make_learner(client, people, who="bordeaux_manager", site="bordeaux")
    body = await apply(client, people, bordeaux_learner, expect=404)
    assert body["errors"][0]["field"] == "learner"
    await apply(client, people, bordeaux_learner, who="admin")


async def test_the_list_is_paginated_newest_first_and_filtered(client, people):
    ids = [
        (await apply(client, people, await make_learner(client, people)))["id"] for _ in range(3)
    ]
    await move(client, people, ids[0], "screening")
    headers = people.auth("paris_manager")
    first = (await client.get("/api/v1/applications?limit=2", headers=headers)).json()
    assert (first["total"], [row["id"] for row in first["items"]]) == (3, ids[:0:-1])
    rest = (await client.get("/api/v1/applications?limit=2&offset=2", headers=headers)).json()
    assert [row["id"] for row in rest["items"]] == [ids[0]]
    screening = await client.get("/api/v1/applications?status=screening", headers=headers)
    assert [row["id"] for row in screening.json()["items"]] == [ids[0]]
    assert all(row["findings"] for row in first["items"])
    bad = await client.get("/api/v1/applications?status=maybe&limit=500", headers=headers)
    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["errors"]} >= {"status"}
