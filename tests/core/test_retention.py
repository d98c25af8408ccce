"""Retention (RULES.md, Privacy): records whose purpose is over are erased by `essaim retention
run`, site by site; open records never are; expired proof documents are deleted. The clock
starts on 1 September 2026; the Paris cohort runs from 5 October to 5 November 2026 and the
test sites keep the default settings (follow-ups at 3 and 6 months, applicants 12 months)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.learners.tables import Learner
from core.privacy.retention import run_retention
from core.privacy.tables import RestrictedDocument
from tests.applications import apply, make_learner, move
from tests.enrolment import admitted, enrol


@pytest.fixture
async def records(client, people):
    """An applicant still under way, one rejected, and a learner of the Paris cohort."""
    under_way = await make_learner(client, people)
    await apply(client, people, under_way)
    rejected = await make_learner(client, people)
    application = (await apply(client, people, rejected))["id"]
    await move(client, people, application, "screening")
    await move(client, people, application, "rejected", reason="Hors critères d'âge.")
    learner = (await enrol(client, people, people.paris_cohort, await admitted(client, people)))[
        "learner"
    ]
    return {"under_way": under_way, "rejected": rejected, "learner": learner}


async def erased(learner: int) -> bool:
    row = await Learner.select(Learner.erased_at).where(Learner.id == learner)
    return row[0]["erased_at"] is not None


def runtime_of(app):
    return app.state.runtime


async def test_nothing_is_due_while_the_purpose_lasts(app, client, records):
    # The cohort ended on 5 November 2026: its last follow-up is due 5 May 2027; the rejected
    # applicant's application last changed on 1 September 2026: kept until 1 September 2027.
    report = await run_retention(runtime_of(app), date(2027, 5, 4), dry_run=True)
    assert report.due == []


async def test_a_dry_run_lists_who_is_due_and_changes_nothing(app, client, records):
    report = await run_retention(runtime_of(app), date(2027, 5, 5), dry_run=True)
    assert [(due.learner, due.rule) for due in report.due] == [
        (records["learner"], "after_follow_up")
    ]
    report = await run_retention(runtime_of(app), date(2027, 9, 1), dry_run=True)
    assert sorted((due.learner, due.rule) for due in report.due) == sorted(
        [(records["learner"], "after_follow_up"), (records["rejected"], "applicant")]
    )
    assert not await erased(records["rejected"]) and not await erased(records["learner"])


async def test_a_run_erases_those_due_and_keeps_open_records(app, client, people, clock, records):
    clock.advance(timedelta(days=400))
    report = await run_retention(runtime_of(app), date(2027, 10, 1), dry_run=False)
    assert sorted(due.learner for due in report.due) == sorted(
        [records["rejected"], records["learner"]]
    )
    assert report.erased == 2
    assert await erased(records["rejected"]) and await erased(records["learner"])
    assert not await erased(records["under_way"])
    proofs = await RestrictedDocument.select(RestrictedDocument.learner)
    assert {row["learner"] for row in proofs} == {records["learner"]}
    trail = await client.get(
        "/api/v1/audit", params={"action": "learner.erased"}, headers=people.auth("admin")
    )
    assert {e["details"]["reason"] for e in trail.json()["items"]} == {"no_longer_needed"}


async def test_expired_proof_documents_are_deleted(app, client, clock, records):
    clock.advance(timedelta(days=400))
    await run_retention(runtime_of(app), date(2027, 10, 1), dry_run=False)
    kept = await RestrictedDocument.select(RestrictedDocument.expires_on)
    assert kept
    day_after = max(row["expires_on"] for row in kept) + timedelta(days=1)
    dry = await run_retention(runtime_of(app), day_after, dry_run=True)
    assert dry.documents_expired >= 1
    assert await RestrictedDocument.count() >= 1
    await run_retention(runtime_of(app), day_after, dry_run=False)
    assert await RestrictedDocument.count() == 0
