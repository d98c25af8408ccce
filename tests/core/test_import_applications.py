"""Importing applications from a spreadsheet: the API's checks per row, savepoints, keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.applications.importing import import_applications
from core.applications.tables import Application, ApplicationEvent, EligibilityCheck
from core.auth.service import principal_by_email
from core.errors import Forbidden, NotFound
from core.notifications.tables import Message
from tests.applications import make_learner

HEADER = "learner,learner_key,program,track,cohort,import_key"


def sheet(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "candidatures.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


async def run(app, tmp_path, *lines, who="paris_manager", dry_run=False, site="paris"):
    principal = await principal_by_email(f"{who}@example.org")
    runtime = app.state.runtime
    return await import_applications(
        sheet(tmp_path, *lines), site, principal, runtime, dry_run=dry_run, batch_size=2
    )


async def test_rows_become_applications_with_their_checks_and_no_message(
    app, client, people, tmp_path
):
    awa = await make_learner(client, people)
    young = await make_learner(client, people, birth_date="2010-01-01")
    report = await run(
        app,
        tmp_path,
        f"{awa},,atelier,initiation,,",
        f"{young},,atelier,,{people.paris_cohort},",
    )
    assert (report.created, report.skipped, report.invalid) == (2, 0, [])
    rows = await Application.select(
        Application.learner, Application.status, Application.eligible, Application.cohort
    ).order_by(Application.id)
    assert rows == [
        {"learner": awa, "status": "submitted", "eligible": True, "cohort": None},
        {"learner": young, "status": "submitted", "eligible": False, "cohort": people.paris_cohort},
    ]
    assert await EligibilityCheck.count() == 2
    assert await ApplicationEvent.count() == 2
    assert await Message.count() == 0, "an imported application tells nobody"


async def test_a_learner_is_found_by_the_key_the_learners_import_gave_them(
    app, client, people, tmp_path
):
    from core.learners.tables import Learner

    awa = await make_learner(client, people)
    await Learner.update({Learner.import_key: "inscrit-17"}).where(Learner.id == awa)
    report = await run(
        app, tmp_path, ",inscrit-17,atelier,initiation,,", ",inscrit-99,atelier,initiation,,"
    )
    assert report.created == 1
    assert [str(e) for e in report.invalid] == [
        "line 3: learner_key: no learner imported at 'paris' with key 'inscrit-99'"
    ]
    assert (await Application.select(Application.learner))[0]["learner"] == awa


async def test_refused_rows_are_reported_by_line_and_leave_nothing_behind(
    app, client, people, tmp_path
):
    awa = await make_learner(client, people)
    other_site = await make_learner(client, people, who="bordeaux_manager", site="bordeaux")
    report = await run(
        app,
        tmp_path,
        f"{awa},,atelier,initiation,,",
        f"{awa},,atelier,initiation,,again",
        f"{other_site},,atelier,initiation,,",
        f"{awa},,cuisine,,,",
        ",,atelier,initiation,,",
        f"{awa},k,atelier,initiation,,",
        f"{awa},,atelier,initiation,{people.bordeaux_cohort},x",
    )
    assert [str(e) for e in report.invalid] == [
        f"line 3: learner: learner {awa} already has application 1 open for this program and track",
        f"line 4: learner: no learner {other_site}",
        "line 5: program: the site does not run program 'cuisine'",
        "line 6: learner: give learner or learner_key",
        "line 7: learner: give learner or learner_key",
        f"line 8: cohort: no cohort {people.bordeaux_cohort}",
    ]
    assert report.created == 1
    assert await Application.count() == 1
    assert await EligibilityCheck.count() == 1
    assert await ApplicationEvent.count() == 1


async def test_the_same_file_twice_adds_nothing_and_a_dry_run_writes_nothing(
    app, client, people, tmp_path
):
    learners = [await make_learner(client, people) for _ in range(3)]
    lines = [f"{learner},,atelier,initiation,," for learner in learners]
    dry = await run(app, tmp_path, *lines, lines[0], dry_run=True)
    assert (dry.created, dry.skipped, dry.invalid) == (3, 1, [])
    assert await Application.count() == 0
    first = await run(app, tmp_path, *lines)
    assert (first.created, first.skipped) == (3, 0)
    second = await run(app, tmp_path, *lines)
    assert (second.created, second.skipped, second.invalid) == (0, 3, [])
    assert await Application.count() == 3


@pytest.mark.parametrize(
    ("who", "site", "error"),
    [
        ("bordeaux_manager", "paris", NotFound),
        ("paris_trainer", "paris", NotFound),
        ("admin", "lyon", NotFound),
    ],
)
async def test_only_the_sites_managers_import(app, people, tmp_path, who, site, error):
    with pytest.raises(error):
        await run(app, tmp_path, "1,,atelier,initiation,,", who=who, site=site)


async def test_a_central_viewer_sees_the_site_but_cannot_import(app, people, tmp_path):
    with pytest.raises(Forbidden):
        await run(app, tmp_path, "1,,atelier,initiation,,", who="central")
