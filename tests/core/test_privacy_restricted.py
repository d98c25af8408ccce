"""The restricted store: an erased learner's proof documents, rendered before the erasure,
kept until they expire, read by admins only."""

from __future__ import annotations

from datetime import date

from core.privacy.restricted import expiry
from core.settings import Settings
from tests.core.test_reports_learners import cohort  # noqa: F401 (a fixture)
from tests.documents import rendered_text

URL = "/api/v1/restricted-documents"


async def test_an_erasure_keeps_the_attestation_and_the_hours_in_the_restricted_store(
    client,
    people,
    cohort,  # noqa: F811
    clock,
    tmp_path,
):
    learner = cohort[0]["learner"]  # completed, attended both sessions
    admin = people.auth("admin")
    record = (await client.get(f"/api/v1/learners/{learner}", headers=admin)).json()
    erased = await client.post(
        f"/api/v1/learners/{learner}/erase",
        json={"reason": "request", "confirm": True},
        headers=admin,
    )
    assert erased.status_code == 201, erased.text

    listed = await client.get(URL, params={"learner": learner}, headers=admin)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(d["kind"], d["enrolment"]) for d in items] == [
        ("attestation", cohort[0]["id"]),
        ("hours_certificate", cohort[0]["id"]),
    ]
    erased_on = clock.now().date()
    assert {d["expires_on"] for d in items} == {
        erased_on.replace(year=erased_on.year + 3).isoformat()
    }
    assert all(record["last_name"] not in d["file_name"] for d in items)

    pdf = await client.get(f"{URL}/{items[0]['id']}", headers=admin)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = rendered_text(tmp_path, pdf.content)
    assert "Attestation de fin de formation" in text
    assert record["last_name"] in text, "the proof names the person, as it did when issued"
    trail = await client.get(
        "/api/v1/audit", params={"action": "restricted_document.read"}, headers=admin
    )
    reads = [e for e in trail.json()["items"] if e["action"] == "restricted_document.read"]
    assert [(e["target_id"], e["details"]) for e in reads] == [
        (items[0]["id"], {"learner": learner})
    ]


async def test_only_admins_reach_the_restricted_store(client, people, cohort):  # noqa: F811
    await client.post(
        f"/api/v1/learners/{cohort[0]['learner']}/erase",
        json={"reason": "request", "confirm": True},
        headers=people.auth("admin"),
    )
    [first, *_] = (await client.get(URL, headers=people.auth("admin"))).json()["items"]
    for who in ("paris_manager", "central", "paris_trainer"):
        assert (await client.get(URL, headers=people.auth(who))).status_code == 403
        assert (
            await client.get(f"{URL}/{first['id']}", headers=people.auth(who))
        ).status_code == 403


def test_proofs_expire_after_the_retention_in_years_three_by_default() -> None:
    assert Settings().proof_retention_years == 3
    years = Settings.from_env({"ESSAIM_PROOF_RETENTION_YEARS": "10"}).proof_retention_years
    assert years == 10
    assert expiry(date(2026, 11, 26), 3) == date(2029, 11, 26)
    assert expiry(date(2028, 2, 29), 3) == date(2031, 2, 28)
