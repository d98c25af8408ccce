"""Attendance: a whole session's sheet in one request, signatures (RULES.md C4), audit of
changes after the trainer signed, rates against the whole program, and flags."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.documents import rendered_text
from tests.enrolment import admitted, enrol

RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}


@pytest.fixture
async def cohort(client, people, clock):
    """The Paris cohort, planned (Monday 5 and Thursday 8 October 2026, 9:30 to 11:30), with
    three enrolled learners; the clock at 10:00 on the 5th, the first session under way."""
    manager = people.auth("paris_manager")
    await client.patch(f"/api/v1/cohorts/{people.paris_cohort}", json=RHYTHM, headers=manager)
    plan = await client.post(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions/plan", headers=manager
    )
    sessions = [s["id"] for s in plan.json()["items"]]
    learners = []
    for _ in range(3):
        application = await admitted(client, people)
        learners.append((await enrol(client, people, people.paris_cohort, application))["learner"])
    clock.advance(timedelta(days=34))  # 2026-10-05 08:00 UTC, 10:00 in Paris
    return {"sessions": sessions, "learners": learners}


async def put_sheet(client, people, session, marks, who="paris_trainer", **extra):
    return await client.put(
        f"/api/v1/sessions/{session}/attendance",
        json={"marks": marks, **extra},
        headers=people.auth(who),
    )


def present(learner, signed="sheet"):
    return {"learner": learner, "status": "present", "signed": signed}


async def test_a_trainer_records_the_whole_sheet_and_signs_it(client, people, cohort):
    awa, karim, lea = cohort["learners"]
    first = cohort["sessions"][0]
    marks = [present(awa), present(karim, "tablet"), {"learner": lea, "status": "absent"}]
    response = await put_sheet(client, people, first, marks, trainer_signed="sheet")
    assert response.status_code == 200, response.text
    sheet = response.json()
    assert sheet["half_days"] == ["morning"]
    assert [
        (m["learner"], m["status"], m["minutes"], m["signed_half_days"]) for m in sheet["marks"]
    ] == [
        (awa, "present", 120, ["morning"]),
        (karim, "present", 120, ["morning"]),
        (lea, "absent", 0, []),
    ]
    assert sheet["trainer_signed_at"] == "2026-10-05T08:00:00Z"
    assert all(m["first_name"].startswith("Prénom") for m in sheet["marks"])


@pytest.mark.parametrize(
    ("mark", "field"),
    [
        ({"status": "present"}, "marks[0].signed"),
        ({"status": "late", "signed": "sheet"}, "marks[0].minutes"),
        ({"status": "late", "signed": "sheet", "minutes": 120}, "marks[0].minutes"),
        ({"status": "present", "signed": "sheet", "minutes": 30}, "marks[0].minutes"),
        ({"status": "absent", "signed": "sheet"}, "marks[0].signed"),
        (
            {"status": "present", "signed": "sheet", "half_days": ["afternoon"]},
            "marks[0].half_days",
        ),
    ],
)
async def test_a_wrong_line_is_refused_with_its_field_and_nothing_is_kept(
    client, people, cohort, mark, field
):
    awa = cohort["learners"][0]
    first = cohort["sessions"][0]
    response = await put_sheet(client, people, first, [{"learner": awa, **mark}])
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    sheet = await client.get(
        f"/api/v1/sessions/{first}/attendance", headers=people.auth("paris_trainer")
    )
    assert {m["status"] for m in sheet.json()["marks"]} == {None}


async def test_only_enrolled_learners_and_only_once_the_session_started(
    client, people, cohort, clock
):
    first, second = cohort["sessions"]
    stranger = await put_sheet(client, people, first, [present(9999)])
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "marks[0]"
    early = await put_sheet(client, people, second, [present(cohort["learners"][0])])
    assert early.status_code == 409


async def test_a_change_after_the_trainer_signed_is_audited(client, people, cohort):
    awa = cohort["learners"][0]
    first = cohort["sessions"][0]
    await put_sheet(client, people, first, [{"learner": awa, "status": "absent"}])
    await put_sheet(client, people, first, [present(awa)], trainer_signed="trainer")
    before = await client.get(
        "/api/v1/audit", params={"action": "attendance.changed"}, headers=people.auth("admin")
    )
    assert before.json()["total"] == 0, "changes before the trainer signed are not audited"
    late = {"learner": awa, "status": "late", "signed": "sheet", "minutes": 90}
    assert (await put_sheet(client, people, first, [late], who="paris_manager")).status_code == 200
    trail = await client.get(
        "/api/v1/audit", params={"action": "attendance.changed"}, headers=people.auth("admin")
    )
    [entry] = trail.json()["items"]
    assert (entry["target_type"], entry["target_id"]) == ("session", first)
    assert entry["details"] == {"learner": awa, "fields": ["minutes", "status"], "status": "late"}


async def test_rates_count_against_the_whole_program_and_flags_come_the_day_they_appear(
    client, people, cohort
):
    awa, karim, lea = cohort["learners"]
    first = cohort["sessions"][0]
    late = {"learner": karim, "status": "late", "signed": "sheet", "minutes": 60}
    await put_sheet(
        client, people, first, [present(awa), late, {"learner": lea, "status": "absent"}]
    )
    response = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/attendance", headers=people.auth("paris_manager")
    )
    assert response.status_code == 200, response.text
    figures = response.json()
    assert figures["planned_minutes"] == 240
    assert [(f["learner"], f["counted_minutes"], f["rate"]) for f in figures["learners"]] == [
        (awa, 120, 0.5),
        (karim, 60, 0.25),
        (lea, 0, 0.0),
    ]
    assert figures["rate"] == pytest.approx(180 / 720)
    # 80 % of 240 minutes is 192: Karim (60 + 120 at best) and Léa (120 at best) cannot.
    assert sorted((f["learner"], f["kind"], f["raised_on"]) for f in figures["flags"]) == [
        (karim, "threshold_out_of_reach", "2026-10-05"),
        (lea, "threshold_out_of_reach", "2026-10-05"),
    ]
    lea_flag = next(f for f in figures["flags"] if f["learner"] == lea)
    assert lea_flag["reason"] == (
        "Même en venant à toutes les séances restantes, au mieux 50 % des heures prévues : "
        "il en faut 80 %."
    )


@pytest.mark.parametrize(("who", "status"), [("bordeaux_manager", 404), ("central", 403)])
async def test_other_sites_and_the_central_team_see_no_sheet(client, people, cohort, who, status):
    first = cohort["sessions"][0]
    sheet = await client.get(f"/api/v1/sessions/{first}/attendance", headers=people.auth(who))
    assert sheet.status_code == status
    rates = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/attendance", headers=people.auth(who)
    )
    assert rates.status_code == status


async def test_absences_in_a_row_are_flagged_at_the_sites_count(client, people, cohort, clock):
    lea = cohort["learners"][2]
    first, second = cohort["sessions"]
    absent = [{"learner": lea, "status": "absent"}]
    await put_sheet(client, people, first, absent)
    clock.advance(timedelta(days=3))  # Thursday 8 October, 10:00 in Paris
    await put_sheet(client, people, second, absent)
    figures = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/attendance", headers=people.auth("paris_manager")
    )
    flags = {f["kind"]: f for f in figures.json()["flags"] if f["learner"] == lea}
    # tests/sites/paris.toml flags after 2 absences in a row (the default is 3).
    assert flags["absences_in_a_row"]["raised_on"] == "2026-10-08"
    assert (
        flags["absences_in_a_row"]["reason"]
        == "2 absences de suite, jusqu'au jeudi 8 octobre 2026."
    )
    assert flags["threshold_out_of_reach"]["raised_on"] == "2026-10-05"


def test_an_excused_absence_counts_only_where_the_program_says_so() -> None:
    from datetime import UTC, date, datetime, time

    from core.attendance.service import _learner_figures
    from core.scheduling.schemas import SessionRead

    def session(n: int) -> SessionRead:
        start = datetime(2026, 10, n, 9, 30, tzinfo=UTC)
        return SessionRead(
            id=n, cohort=1, sequence=n, unit="u", title="t", day=date(2026, 10, n),
            starts_at=time(9, 30), ends_at=time(11, 30), timezone="UTC", start=start,
            end=start + timedelta(hours=2), room=None, trainer=None,
        )  # fmt: skip

    sessions = [session(5), session(8), session(12)]
    marks = {
        (5, 1): {"status": "absent", "minutes": 0},
        (8, 1): {"status": "excused", "minutes": 0},
        (12, 1): {"status": "absent", "minutes": 0},
    }
    strict, unmarked = _learner_figures(1, sessions, marks, False, 360)
    assert (strict.counted_minutes, strict.excused_minutes, unmarked) == (0, 120, 0)
    assert strict.absences_in_a_row == 2, "an excused absence neither counts nor breaks a run"
    lenient, _ = _learner_figures(1, sessions, marks, True, 360)
    assert (lenient.counted_minutes, lenient.rate) == (120, pytest.approx(1 / 3))


async def test_the_attendance_sheet_pdf_lists_the_enrolled_learners(
    client, people, cohort, tmp_path
):
    from core.learners.tables import Learner

    awa = cohort["learners"][0]
    await Learner.update({Learner.first_name: "Élodie", Learner.last_name: "N'Diaye-Çelik"}).where(
        Learner.id == awa
    )
    first = cohort["sessions"][0]
    await put_sheet(client, people, first, [present(awa)], trainer_signed="sheet")
    response = await client.get(
        f"/api/v1/sessions/{first}/attendance.pdf", headers=people.auth("paris_trainer")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = rendered_text(tmp_path, response.content)
    assert "Feuille d'émargement" in text
    assert "lundi 5 octobre 2026, matin, de 9 h 30 à 11 h 30" in text
    assert "Atelier, Initiation" in text
    assert "N'Diaye-Çelik" in text and "Élodie" in text
    roster = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/roster", headers=people.auth("paris_manager")
    )
    for entry in roster.json()["enrolled"]:
        assert entry["last_name"] in text


async def test_the_certificate_of_hours_counts_what_was_attended(client, people, cohort, tmp_path):
    awa, karim, _ = cohort["learners"]
    first = cohort["sessions"][0]
    late = {"learner": karim, "status": "late", "signed": "sheet", "minutes": 90}
    await put_sheet(client, people, first, [present(awa), late])
    response = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/learners/{karim}/hours-certificate.pdf",
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 200, response.text
    text = rendered_text(tmp_path, response.content)
    assert "Certificat de réalisation" in text
    assert "Durée prévue : 4 h" in text
    assert "Durée suivie : 1 h 30" in text
    assert "du 5 octobre 2026 au 8 octobre 2026" in text
    stranger = await client.get(
        f"/api/v1/cohorts/{people.paris_cohort}/learners/9999/hours-certificate.pdf",
        headers=people.auth("paris_manager"),
    )
    assert stranger.status_code == 404
