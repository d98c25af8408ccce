"""The indicators on learners on a known cohort, counted by hand: who entered, the shares of
women and of each audience, attendance, completion and dropout, exact for admins and with
small counts hidden for the central team; the same numbers on SQLite and PostgreSQL.

The Paris cohort (two 2-hour sessions, 5 and 8 October 2026) has six learners:

| who | gender | QPV | diploma | situation | refugee | born | sessions | then |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| 1 | woman | yes | below bac | job-seeker | refugee | 2002 | 2 | completes |
| 2 | woman | no | bac | employed | other | 1990 | 1 | |
| 3 | man | unknown | none | NEET | asylum | 2005 | 2 | |
| 4 | woman | yes | above bac | job-seeker | unknown | 1985 | 2 | withdraws |
| 5 | man | yes | unknown | unknown | refugee | 1995 | 0 | never came |
| 6 | woman | no | below bac | job-seeker | other | 1999 | 2 | |
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.applications import apply, make_learner, move
from tests.enrolment import enrol

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
PEOPLE = [
    ("female", True, "below_bac", "job_seeker", "refugee", "2002-02-01", 2),
    ("female", False, "bac", "employed", "other", "1990-02-01", 1),
    ("male", None, "none", "neet", "asylum_seeker", "2005-02-01", 2),
    ("female", True, "above_bac", "job_seeker", "unknown", "1985-02-01", 2),
    ("male", True, "unknown", "unknown", "refugee", "1995-02-01", 0),
    ("female", False, "below_bac", "job_seeker", "other", "1999-02-01", 2),
]


@pytest.fixture
async def cohort(client, people, clock):
    manager = people.auth("paris_manager")
    await client.patch(f"/api/v1/cohorts/{people.paris_cohort}", json=RHYTHM, headers=manager)
    plan = await client.post(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions/plan", headers=manager
    )
    sessions = [s["id"] for s in plan.json()["items"]]
    enrolments = []
    for gender, qpv, diploma, situation, refugee, born, _ in PEOPLE:
        checked = (
            {"qpv_checked_on": "2026-09-01", "qpv_map_version": "2024"} if qpv is not None else {}
        )
        learner = await make_learner(
            client, people, gender=gender, qpv_resident=qpv, highest_qualification=diploma,
            employment_status=situation, refugee_status=refugee, birth_date=born, **checked,
        )  # fmt: skip
        application = (await apply(client, people, learner))["id"]
        await move(client, people, application, "screening")
        await move(client, people, application, "admitted")
        enrolments.append(await enrol(client, people, people.paris_cohort, application))
    clock.advance(timedelta(days=38))
    for n, session in enumerate(sessions):
        marks = [
            {"learner": e["learner"], "status": "present", "signed": "sheet"}
            if attended > n
            else {"learner": e["learner"], "status": "absent"}
            for e, (*_, attended) in zip(enrolments, PEOPLE, strict=True)
        ]
        response = await client.put(
            f"/api/v1/sessions/{session}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=people.auth("paris_trainer"),
        )
        assert response.status_code == 200, response.text
    first = enrolments[0]["id"]
    await client.post(
        f"/api/v1/enrolments/{first}/assessments",
        json={"assessment": "bilan", "value": "done"},
        headers=manager,
    )
    decided = await client.post(f"/api/v1/enrolments/{first}/completion", headers=manager)
    assert decided.json()["completed"] is True, decided.text
    withdrawn = await client.post(
        f"/api/v1/enrolments/{enrolments[3]['id']}/withdraw",
        json={"reason": "a trouvé un emploi"},
        headers=manager,
    )
    assert withdrawn.status_code in (200, 201), withdrawn.text
    return enrolments


async def learners(client, people, who, **params):
    response = await client.get("/api/v1/reports/learners", params=params, headers=people.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


EXACT = {"entered": 5, "women": 4, "qpv": 2, "qpv_known": 4, "low_qualified": 3,
         "low_qualified_known": 5, "job_seekers": 4, "job_seekers_known": 5, "refugees": 2,
         "refugees_known": 4, "under_26": 2, "under_26_known": 5, "completed": 1,
         "dropped_out": 1, "exits_3": 0, "known_3": 0, "positive_3": 0, "exits_6": 0,
         "known_6": 0, "positive_6": 0}  # fmt: skip


async def test_an_admin_sees_every_indicator_counted_by_hand(client, people, cohort):
    report = await learners(client, people, "admin", by=["site", "month"])
    assert [r["group"] for r in report["rows"]] == [{"site": "paris", "month": "2026-10"}]
    row = report["rows"][0]
    assert {name: cell["value"] for name, cell in row["counts"].items()} == EXACT
    rates = {name: cell["value"] for name, cell in row["rates"].items()}
    assert rates == pytest.approx(
        {"women_share": 4 / 5, "qpv_share": 2 / 4, "low_qualified_share": 3 / 5,
         "job_seekers_share": 4 / 5, "refugees_share": 2 / 4, "under_26_share": 2 / 5,
         "attendance_rate": 1080 / 1200, "completion_rate": 1 / 5, "dropout_rate": 1 / 5,
         "positive_rate_3": None, "positive_rate_3_all": None, "positive_rate_6": None,
         "positive_rate_6_all": None}
    )  # fmt: skip
    assert report["total"]["counts"] == row["counts"]


async def test_the_central_team_sees_the_small_counts_hidden(client, people, cohort):
    report = await learners(client, people, "central", by=["site"])
    row = report["rows"][0]
    shown = {name: cell["display"] for name, cell in row["counts"].items()}
    assert shown == {
        name: ("5" if value == 5 else "<5" if value else "0") for name, value in EXACT.items()
    }
    rates = {name: cell["display"] for name, cell in row["rates"].items()}
    assert rates == {name: "-" for name in rates} | {"attendance_rate": "90 %"}


async def test_a_learner_who_never_came_or_a_cohort_not_yet_started_counts_nowhere(client, people):
    report = await learners(client, people, "admin", by=["site"])
    assert report["rows"] == []
    assert report["total"]["counts"]["entered"]["value"] == 0
    assert report["total"]["rates"]["attendance_rate"]["display"] == "-"


async def test_the_learners_export_is_suppressed_and_defined(client, people, cohort):
    from io import BytesIO

    from openpyxl import load_workbook

    response = await client.get(
        "/api/v1/reports/learners.xlsx", params={"by": ["site"]}, headers=people.auth("admin")
    )
    assert response.status_code == 200, response.text
    workbook = load_workbook(BytesIO(response.content))
    entered = workbook["Personnes entrées en formation"]
    assert [tuple(c.value for c in line) for line in entered.iter_rows(min_row=2)] == [
        ("paris", 5), ("Total", 5)
    ]  # fmt: skip
    assert workbook["Femmes"]["B2"].value == "<5"
    assert workbook["Taux d'assiduité"]["B2"].value == pytest.approx(0.9)
    assert workbook.sheetnames[-1] == "Définitions"


async def test_positive_outcomes_at_3_and_6_months_over_known_and_all_exits(
    client, people, clock, cohort
):
    """Learners 1, 2, 3 and 6 went to the end (4 withdrew, 5 never came): four exits on
    8 October 2026, followed up on 8 January and 8 April 2027."""
    first, second, third = (e["id"] for e in cohort[:3])
    clock.advance(timedelta(days=185))  # 12 April 2027

    async def outcome(enrolment, months, status):
        response = await client.put(
            f"/api/v1/enrolments/{enrolment}/outcomes/{months}",
            json={"status": status, "source": "phone"},
            headers=people.auth("paris_manager"),
        )
        assert response.status_code == 200, response.text

    await outcome(first, 3, "permanent_job")
    await outcome(second, 3, "unknown")
    await outcome(third, 3, "still_searching")
    await outcome(first, 6, "qualifying_training")
    report = await learners(client, people, "admin")
    counts = {name: cell["value"] for name, cell in report["total"]["counts"].items()}
    assert {k: counts[k] for k in counts if k[-2:] in ("_3", "_6")} == {
        "exits_3": 4, "known_3": 2, "positive_3": 1, "exits_6": 4, "known_6": 1, "positive_6": 1
    }  # fmt: skip
    rates = {name: cell["value"] for name, cell in report["total"]["rates"].items()}
    assert {k: rates[k] for k in rates if k.startswith("positive")} == pytest.approx(
        {"positive_rate_3": 1 / 2, "positive_rate_3_all": 1 / 4, "positive_rate_6": 1.0,
         "positive_rate_6_all": 1 / 4}
    )  # fmt: skip
