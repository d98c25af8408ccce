"""Completion through the API, with the toy program: results recorded against the program's
assessments, the program's decision with its findings, a site manager's override, the
attestation numbered per site and year (RULES.md C5), and what completing opens next."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.applications import apply
from tests.documents import rendered_text
from tests.enrolment import admitted, enrol

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}


@pytest.fixture
async def cohort(client, people, clock):
    """The Paris cohort planned on Monday 5 and Thursday 8 October 2026, two enrolled
    learners, and the clock on Friday 9 October, both sessions over."""
    manager = people.auth("paris_manager")
    await client.patch(f"/api/v1/cohorts/{people.paris_cohort}", json=RHYTHM, headers=manager)
    plan = await client.post(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions/plan", headers=manager
    )
    sessions = [s["id"] for s in plan.json()["items"]]
    enrolments = []
    for _ in range(2):
        application = await admitted(client, people)
        enrolments.append(await enrol(client, people, people.paris_cohort, application))
    clock.advance(timedelta(days=38))
    return {"sessions": sessions, "enrolments": enrolments}


async def attend(client, people, cohort, present: list[bool]) -> None:
    """Both learners' marks for each session: the first present at the sessions of
    ``present``, the second at every session."""
    first, second = (e["learner"] for e in cohort["enrolments"])
    for session, here in zip(cohort["sessions"], present, strict=True):
        marks = [
            {"learner": first, "status": "present", "signed": "sheet"}
            if here
            else {"learner": first, "status": "absent"},
            {"learner": second, "status": "present", "signed": "sheet"},
        ]
        response = await client.put(
            f"/api/v1/sessions/{session}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=people.auth("paris_trainer"),
        )
        assert response.status_code == 200, response.text


async def result(client, people, enrolment, who="paris_trainer", **body):
    return await client.post(
        f"/api/v1/enrolments/{enrolment}/assessments", json=body, headers=people.auth(who)
    )


async def decide(client, people, enrolment, who="paris_manager"):
    return await client.post(f"/api/v1/enrolments/{enrolment}/completion", headers=people.auth(who))


async def test_the_sheet_lists_the_programs_assessments_with_their_history(client, people, cohort):
    enrolment = cohort["enrolments"][0]["id"]
    assert (await result(client, people, enrolment, assessment="bilan", value="not_done")).json()[
        "passed"
    ] is False
    done = await result(client, people, enrolment, assessment="bilan", value="done", score=90)
    assert done.status_code == 201, done.text
    assert (done.json()["passed"], done.json()["score"]) == (True, 90)
    carnet = await result(
        client, people, enrolment, assessment="carnet", value="https://example.org/carnet"
    )
    assert carnet.json()["passed"] is None
    sheet = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    assert sheet.status_code == 200, sheet.text
    items = {item["key"]: item for item in sheet.json()["items"]}
    assert list(items) == ["bilan", "carnet"]
    assert [r["value"] for r in items["bilan"]["history"]] == ["not_done", "done"]
    assert items["bilan"]["latest"]["value"] == "done"
    assert items["bilan"]["scale"] == ["not_done", "done"]
    assert items["carnet"]["kind"] == "deliverable"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assessment": "examen", "value": "done"}, "assessment"),
        ({"assessment": "bilan", "value": "excellent"}, "value"),
        ({"assessment": "bilan", "value": "   "}, "value"),
        ({"assessment": "bilan", "value": "done", "assessed_on": "2026-12-01"}, "assessed_on"),
    ],
)
async def test_a_result_off_the_programs_assessments_names_its_field(
    client, people, cohort, body, field
):
    enrolment = cohort["enrolments"][0]["id"]
    response = await result(client, people, enrolment, **body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    sheet = await client.get(
        f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth("paris_manager")
    )
    assert all(item["history"] == [] for item in sheet.json()["items"])


async def test_a_score_out_of_range_is_refused_at_the_edge(client, people, cohort):
    enrolment = cohort["enrolments"][0]["id"]
    response = await result(client, people, enrolment, assessment="bilan", value="done", score=101)
    assert response.status_code == 400, response.text
    assert "score" in response.text


async def test_a_refusal_says_which_rule_and_which_figure(client, people, cohort):
    await attend(client, people, cohort, [True, False])
    enrolment = cohort["enrolments"][0]["id"]
    response = await decide(client, people, enrolment)
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["completed"] is False
    assert decision["attestation_number"] is None
    assert [(f["rule"], f["ok"]) for f in decision["findings"]] == [
        ("ATL2", False),
        ("ATL3", False),
    ]
    assert "2 h sur 4 h (50 %)" in decision["findings"][0]["reason"]
    assert decision["facts"]["attended_hours"] == 2
    assert decision["facts"]["scheduled_hours"] == 4
    again = await client.get(
        f"/api/v1/enrolments/{enrolment}/completion", headers=people.auth("paris_manager")
    )
    assert again.json() == decision
    attestation = await client.get(
        f"/api/v1/enrolments/{enrolment}/attestation.pdf", headers=people.auth("paris_manager")
    )
    assert attestation.status_code == 409


async def test_completing_numbers_the_attestation_per_site_and_year_and_opens_the_next_track(
    client, people, cohort, tmp_path
):
    await attend(client, people, cohort, [True, True])
    first, second = (e["id"] for e in cohort["enrolments"])
    refused = await decide(client, people, first)
    assert refused.json()["completed"] is False
    for enrolment in (second, first):
        await result(client, people, enrolment, assessment="bilan", value="done")
    numbers = []
    for enrolment in (second, first):
        decision = (await decide(client, people, enrolment)).json()
        assert decision["completed"] is True, decision
        assert decision["completed_on"] == "2026-10-09"
        assert decision["next_offers"] == [{"program": "atelier", "track": "approfondissement"}]
        numbers.append(decision["attestation_number"])
    assert numbers == ["PARIS-2026-0001", "PARIS-2026-0002"]
    again = (await decide(client, people, first)).json()
    assert again["attestation_number"] == "PARIS-2026-0002"

    pdf = await client.get(
        f"/api/v1/enrolments/{first}/attestation.pdf", headers=people.auth("paris_manager")
    )
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = rendered_text(tmp_path, pdf.content)
    assert "Attestation de fin de formation" in text
    assert "PARIS-2026-0002" in text
    assert "Atelier, Initiation" in text
    assert "4 h" in text

    learner = cohort["enrolments"][0]["learner"]
    applied = await apply(client, people, learner, track="approfondissement")
    findings = {f["rule"]: f["ok"] for f in applied["findings"]}
    assert findings["ATL1"] is True


async def test_a_site_manager_overrides_a_refusal_with_a_reason_and_it_is_audited(
    client, people, cohort
):
    await attend(client, people, cohort, [True, False])
    enrolment = cohort["enrolments"][0]["id"]
    url = f"/api/v1/enrolments/{enrolment}/completion/override"
    manager = people.auth("paris_manager")
    early = await client.post(
        url, json={"reason": "Absence justifiée par l'hôpital."}, headers=manager
    )
    assert early.status_code == 409
    await decide(client, people, enrolment)
    short = await client.post(url, json={"reason": "ok"}, headers=manager)
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "reason"
    done = await client.post(
        url, json={"reason": "Absence justifiée par l'hôpital."}, headers=manager
    )
    assert done.status_code == 200, done.text
    decision = done.json()
    assert (decision["completed"], decision["overridden"]) == (True, True)
    assert decision["attestation_number"] == "PARIS-2026-0001"
    assert [f["ok"] for f in decision["findings"]] == [False, False]
    twice = await client.post(
        url, json={"reason": "Absence justifiée par l'hôpital."}, headers=manager
    )
    assert twice.status_code == 409
    audit = await client.get(
        "/api/v1/audit",
        params={"target_type": "enrolment", "target_id": enrolment},
        headers=people.auth("admin"),
    )
    entries = {e["action"]: e for e in audit.json()["items"]}
    assert entries["completion.overridden"]["details"] == {"overridden_rules": ["atl2", "atl3"]}
    assert "hôpital" not in audit.text


async def test_who_may_record_decide_and_read(client, people, cohort):
    enrolment = cohort["enrolments"][0]["id"]
    trainer = await result(client, people, enrolment, assessment="bilan", value="done")
    assert trainer.status_code == 201
    for who, status in (("bordeaux_manager", 404), ("central", 403)):
        assert (
            await result(client, people, enrolment, who=who, assessment="bilan", value="done")
        ).status_code == status
        assert (
            await client.get(
                f"/api/v1/enrolments/{enrolment}/assessments", headers=people.auth(who)
            )
        ).status_code == status
    assert (await decide(client, people, enrolment, who="paris_trainer")).status_code == 403
    assert (await decide(client, people, enrolment, who="bordeaux_manager")).status_code == 404
    assert (await decide(client, people, enrolment, who="admin")).status_code == 200
    missing = await decide(client, people, 99999)
    assert missing.status_code == 404


async def test_only_an_enrolled_learner_is_assessed_or_completes(client, people, cohort):
    enrolment = cohort["enrolments"][0]["id"]
    withdrawn = await client.post(
        f"/api/v1/enrolments/{enrolment}/withdraw",
        json={"reason": "déménagement"},
        headers=people.auth("paris_manager"),
    )
    assert withdrawn.status_code in (200, 201), withdrawn.text
    assert (
        await result(client, people, enrolment, assessment="bilan", value="done")
    ).status_code == 409
    assert (await decide(client, people, enrolment)).status_code == 409


async def test_an_assessment_the_program_records_itself_is_refused_on_cores_route(
    client, people, cohort, monkeypatch
):
    """A program marks the results its own routes check (a signed agreement, a reviewed
    website) ``program_only``: core's route refuses them, naming the field."""
    from core.plugin import Assessment, AssessmentKind
    from tests.toy_program import Atelier

    owned = Assessment(
        key="convention", title="Convention", kind=AssessmentKind.DELIVERABLE, program_only=True
    )
    original = Atelier.assessments

    def with_owned(self, track):
        return (*original(self, track), owned)

    monkeypatch.setattr(Atelier, "assessments", with_owned)
    enrolment = cohort["enrolments"][0]["id"]
    response = await result(client, people, enrolment, assessment="convention", value="C-1")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "assessment"
    assert "program's own routes" in response.json()["detail"]
