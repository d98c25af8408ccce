"""PCIE/ICDL certification (D5) through DIGITAL's own routes: attempts, exam sessions and
their candidates, result sheets imported twice, certificates as issued, and who may do it."""

from __future__ import annotations

import pytest

from core.plugin import PersonalKind
from plugins.digital.certification import entitlement
from tests.plugins.digital.helpers import after_the_sessions, digital_cohort, enrolled

BASE = "/api/v1/programs/digital"
ATTEMPT = {
    "module": "computer_essentials",
    "syllabus": "6.0",
    "taken_on": "2026-11-12",
    "test_centre": "Centre PCIE Paris 19",
}


@pytest.fixture
async def learners(client, people, clock):
    """Two learners enrolled in a Paris DIGITAL beginner cohort, one in a Bordeaux one, and
    the clock on Monday 16 November 2026, after the cohorts' sessions."""
    paris = await digital_cohort(client, people)
    bordeaux = await digital_cohort(client, people, site="bordeaux", who="bordeaux_manager")
    found = {
        "paris": [await enrolled(client, people, paris) for _ in range(2)],
        "bordeaux": await enrolled(
            client, people, bordeaux, site="bordeaux", who="bordeaux_manager"
        ),
    }
    after_the_sessions(clock)
    return found


async def attempt(client, people, enrolment, who="paris_manager", **fields):
    return await client.post(
        f"{BASE}/enrolments/{enrolment}/icdl-attempts",
        json=ATTEMPT | fields,
        headers=people.auth(who),
    )


async def certification(client, people, enrolment, who="paris_manager"):
    return await client.get(
        f"{BASE}/enrolments/{enrolment}/certification", headers=people.auth(who)
    )


async def audit_actions(client, people, target_type, target_id):
    response = await client.get(
        "/api/v1/audit",
        params={"target_type": target_type, "target_id": target_id},
        headers=people.auth("admin"),
    )
    assert response.status_code == 200, response.text
    latest: dict[str, dict] = {}
    for entry in response.json()["items"]:  # newest first
        latest.setdefault(entry["action"], entry["details"])
    return latest


def test_d5_base_is_the_four_base_modules_standard_adds_three() -> None:
    base = ["computer_essentials", "online_essentials", "word_processing", "spreadsheets"]
    assert entitlement(base[:3]).level is None
    assert entitlement(base[:3]).base_missing == ["spreadsheets"]
    assert entitlement(base).level == "base"
    assert entitlement([*base, "presentation", "it_security"]).level == "base"
    standard = entitlement([*base, "presentation", "it_security", "using_databases"])
    assert (standard.level, standard.standard_passed) == ("standard", 3)
    assert entitlement(["presentation", "it_security", "using_databases"]).level is None


def test_essaim_personal_data_declares_the_comment_and_the_certificate_number(plugin_host):
    declared = {
        (c.table, c.column): (c.kind, c.learner)
        for name, c in plugin_host.personal_data()
        if name == "digital"
    }
    assert declared == {
        ("digital_module_attempt", "comment"): (PersonalKind.FREE_TEXT, "learner"),
        ("digital_certificate", "number"): (PersonalKind.IDENTITY, "learner"),
    }


async def test_d5_each_attempt_is_kept_and_passes_at_75_percent(client, people, learners):
    enrolment = learners["paris"][0]["id"]
    for day, score in (("2026-11-02", 74.9), ("2026-11-09", 75), ("2026-11-12", None)):
        fields = {"taken_on": day, "score": score}
        if score is None:
            fields["passed"] = True
        response = await attempt(client, people, enrolment, **fields)
        assert response.status_code == 201, response.text
    record = (await certification(client, people, enrolment)).json()
    assert [(a["score"], a["passed"]) for a in record["attempts"]] == [
        (74.9, False),
        (75, True),
        (None, True),
    ]
    assert record["attempts"][0]["module_title"] == "Essentiels de l'ordinateur"
    assert record["entitlement"]["passed_modules"] == ["computer_essentials"]
    details = await audit_actions(client, people, "enrolment", enrolment)
    assert details["icdl_attempt.recorded"]["module"] == "computer_essentials"


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"module": "cooking"}, 422, "module"),
        ({}, 422, "passed"),
        ({"score": 80, "passed": False}, 422, "passed"),
        ({"score": 80, "taken_on": "2026-11-17"}, 422, "taken_on"),
        ({"score": 101}, 400, "score"),
        ({"score": 80, "exam_session": 999}, 422, "exam_session"),
    ],
)
async def test_an_attempt_off_the_rules_names_its_field(
    client, people, learners, fields, status, field
):
    response = await attempt(client, people, learners["paris"][0]["id"], **fields)
    assert response.status_code == status, response.text
    assert field in response.json()["errors"][0]["field"]


async def test_the_same_attempt_twice_is_a_conflict(client, people, learners):
    enrolment = learners["paris"][0]["id"]
    assert (await attempt(client, people, enrolment, score=80)).status_code == 201
    assert (await attempt(client, people, enrolment, score=90)).status_code == 409


async def test_who_may_record_and_read_a_learners_certification(client, people, learners):
    enrolment = learners["paris"][0]["id"]
    for who, status in (("central", 403), ("bordeaux_manager", 404)):
        assert (await attempt(client, people, enrolment, who=who, score=80)).status_code == status
        assert (await certification(client, people, enrolment, who=who)).status_code == status
    assert (await attempt(client, people, enrolment, who="admin", score=80)).status_code == 201
    assert (await certification(client, people, 99999)).status_code == 404


async def test_a_certificate_is_recorded_as_issued_once_per_number(client, people, learners):
    first, second = (e["id"] for e in learners["paris"])
    body = {"level": "standard", "number": "FR-0042", "issued_on": "2026-11-14"}
    url = f"{BASE}/enrolments/{{}}/certificates"
    manager = people.auth("paris_manager")
    created = await client.post(url.format(first), json=body, headers=manager)
    assert created.status_code == 201, created.text
    again = await client.post(url.format(second), json=body, headers=manager)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "number"
    late = await client.post(
        url.format(second),
        json=body | {"number": "FR-0043", "issued_on": "2026-11-17"},
        headers=manager,
    )
    assert late.json()["errors"][0]["field"] == "issued_on"
    record = (await certification(client, people, first)).json()
    assert [(c["level"], c["number"]) for c in record["certificates"]] == [("standard", "FR-0042")]
    assert record["entitlement"]["level"] is None
    details = await audit_actions(client, people, "enrolment", first)
    assert details["icdl_certificate.recorded"]["level"] == "standard"
    assert "FR-0042" not in str(details)


async def exam_session(client, people, candidates, who="paris_manager", **fields):
    body = {
        "site": "paris",
        "test_centre": "Centre PCIE Paris 19",
        "held_on": "2026-11-13",
        "modules": ["computer_essentials", "online_essentials"],
        "candidates": candidates,
    } | fields
    return await client.post(f"{BASE}/exam-sessions", json=body, headers=people.auth(who))


async def test_an_exam_session_lists_its_candidates_of_the_sites_digital_cohorts(
    client, people, learners
):
    paris = [e["id"] for e in learners["paris"]]
    created = await exam_session(client, people, paris)
    assert created.status_code == 201, created.text
    session = created.json()
    assert sorted(c["enrolment"] for c in session["candidates"]) == sorted(paris)
    names = [c["last_name"] for c in session["candidates"]]
    assert names == sorted(names)
    assert all(c["track"] == "beginner" for c in session["candidates"])
    read = await client.get(
        f"{BASE}/exam-sessions/{session['id']}", headers=people.auth("paris_manager")
    )
    assert read.json() == session
    for who, status in (("central", 403), ("bordeaux_manager", 404)):
        response = await client.get(
            f"{BASE}/exam-sessions/{session['id']}", headers=people.auth(who)
        )
        assert response.status_code == status
    details = await audit_actions(client, people, "exam_session", session["id"])
    assert details["exam_session.created"]["candidates"] == sorted(paris)
    reads = await client.get(
        "/api/v1/audit",
        params={"action": "learner.read", "limit": 200},
        headers=people.auth("admin"),
    )
    candidates = {c["learner"] for c in session["candidates"]}
    read = {
        e["target_id"] for e in reads.json()["items"] if e["details"] == {"via": "exam_candidates"}
    }
    assert read == candidates


@pytest.mark.parametrize(
    ("who", "fields", "status", "field"),
    [
        ("bordeaux_manager", {}, 404, None),
        ("central", {}, 403, None),
        ("paris_manager", {"modules": ["cooking"]}, 422, "modules[0]"),
        ("paris_manager", {"candidates": "bordeaux"}, 422, "candidates[0]"),
        ("paris_manager", {"candidates": "twice"}, 422, "candidates"),
    ],
)
async def test_an_exam_session_is_refused_out_of_scope_or_with_foreign_candidates(
    client, people, learners, who, fields, status, field
):
    fields = dict(fields)  # the parameters are shared by both engines' runs
    candidates = {
        "bordeaux": [learners["bordeaux"]["id"]],
        "twice": [learners["paris"][0]["id"]] * 2,
    }.get(fields.pop("candidates", None), [learners["paris"][0]["id"]])
    response = await exam_session(client, people, candidates, who=who, **fields)
    assert response.status_code == status, response.text
    if field:
        assert response.json()["errors"][0]["field"] == field


async def import_sheet(client, people, session, content: bytes, dry_run: bool, who="paris_manager"):
    response = await client.post(
        f"{BASE}/exam-sessions/{session}/results",
        params={"dry_run": str(dry_run).lower()},
        content=content,
        headers=people.auth(who) | {"Content-Type": "text/csv"},
    )
    return response


async def test_a_result_sheet_dry_run_then_import_then_again_adds_nothing(client, people, learners):
    first, second = (e["id"] for e in learners["paris"])
    session = (await exam_session(client, people, [first, second])).json()["id"]
    sheet = (
        "\ufeffRéférence;Module;Version;Score;Résultat\n"
        f"{first};computer_essentials;6.0;80;réussi\n"
        f"{second};Essentiels de l'ordinateur;6.0;70,5;\n"
        f"{second};online_essentials;6.0;;Réussi\n"
        f"{learners['bordeaux']['id']};online_essentials;6.0;90;\n"
        f"{first};spreadsheets;6.0;90;\n"
        f"{first};online_essentials;6/0;90;\n"
        f"{first};online_essentials;6.0;120;\n"
        f"{first};online_essentials;6.0;60;réussi\n"
        "\n"
    ).encode()

    dry = await import_sheet(client, people, session, sheet, dry_run=True)
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert (report["dry_run"], report["created"], report["unchanged"]) == (True, 3, 0)
    assert [(e["line"], e["field"]) for e in report["invalid"]] == [
        (5, "enrolment"),
        (6, "module"),
        (7, "syllabus"),
        (8, "score"),
        (9, "result"),
    ]
    record = (await certification(client, people, first)).json()
    assert record["attempts"] == []

    done = (await import_sheet(client, people, session, sheet, dry_run=False)).json()
    assert (done["dry_run"], done["created"], len(done["invalid"])) == (False, 3, 5)
    attempts = (await certification(client, people, second)).json()["attempts"]
    assert [(a["module"], a["score"], a["passed"]) for a in attempts] == [
        ("computer_essentials", 70.5, False),
        ("online_essentials", None, True),
    ]
    assert all(
        (a["taken_on"], a["test_centre"], a["exam_session"])
        == ("2026-11-13", "Centre PCIE Paris 19", session)
        for a in attempts
    )

    again = (await import_sheet(client, people, session, sheet, dry_run=False)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    corrected = sheet.replace(b";70,5;", b";76;")
    fixed = (await import_sheet(client, people, session, corrected, dry_run=False)).json()
    assert (fixed["created"], fixed["updated"], fixed["unchanged"]) == (0, 1, 2)
    attempts = (await certification(client, people, second)).json()["attempts"]
    assert [(a["score"], a["passed"]) for a in attempts] == [(76, True), (None, True)]
    details = await audit_actions(client, people, "exam_session", session)
    assert details["icdl_results.imported"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "invalid": 5,
    }


async def test_a_comma_separated_sheet_with_a_date_column_is_read_too(client, people, learners):
    first = learners["paris"][0]["id"]
    session = (await exam_session(client, people, [first])).json()["id"]
    sheet = f"enrolment,module,syllabus,score,date\n{first},online_essentials,6.0,75,12/11/2026\n"
    report = (await import_sheet(client, people, session, sheet.encode(), dry_run=False)).json()
    assert (report["created"], report["invalid"]) == (1, [])
    [only] = (await certification(client, people, first)).json()["attempts"]
    assert (only["taken_on"], only["passed"]) == ("2026-11-12", True)


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"reference;module;version;colour\n", "colour"),
        (b"reference;module;score\n", "syllabus"),
    ],
)
async def test_a_sheet_with_wrong_columns_is_reported_on_line_1(
    client, people, learners, content, field
):
    session = (await exam_session(client, people, [learners["paris"][0]["id"]])).json()["id"]
    report = (await import_sheet(client, people, session, content, dry_run=True)).json()
    assert (report["invalid"][0]["line"], report["invalid"][0]["field"]) == (1, field)


async def test_a_sheet_that_is_not_utf8_or_empty_is_refused(client, people, learners):
    session = (await exam_session(client, people, [learners["paris"][0]["id"]])).json()["id"]
    for content in ("référence;module\n".encode("latin-1"), b""):
        response = await import_sheet(client, people, session, content, dry_run=True)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "sheet"


async def test_only_the_sites_managers_import_a_sheet(client, people, learners):
    session = (await exam_session(client, people, [learners["paris"][0]["id"]])).json()["id"]
    content = b"reference;module;version;score\n"
    for who, status in (("central", 403), ("bordeaux_manager", 404), ("paris_trainer", 404)):
        response = await import_sheet(client, people, session, content, dry_run=True, who=who)
        assert response.status_code == status, (who, response.text)
