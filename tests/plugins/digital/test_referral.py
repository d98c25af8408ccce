"""D1 through the applications API: a French A1 applicant to DIGITAL's beginner level is refused
and referred, by name, to the site's French-language partner (sites/paris.toml: Wintegreat)."""

from __future__ import annotations

from datetime import date

import pytest

from core.plugin import CefrLevel, EligibilityFacts
from plugins.digital.program import Digital
from plugins.digital.rules import LANGUAGE_REFERRAL
from tests.applications import apply, history, make_learner, move

DIGITAL = Digital()


@pytest.fixture
async def beginner_cohort(client, people) -> int:
    """A DIGITAL beginner cohort at Paris, opened over the API by its manager."""
    response = await client.post(
        "/api/v1/cohorts",
        json={
            "site": "paris",
            "program": "digital",
            "track": "beginner",
            "title": "DIGITAL débutant, octobre",
            "starts_on": "2026-10-12",
            "ends_on": "2026-11-20",
        },
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_a_french_a1_beginner_is_refused_with_d1_naming_the_language_partner(
    client, people, beginner_cohort
):
    learner = await make_learner(client, people, french_level="A1")
    created = await apply(
        client, people, learner, program="digital", track=None, cohort=beginner_cohort
    )
    assert created["track"] == "beginner"
    assert created["eligible"] is False
    [d1] = [f for f in created["findings"] if f["rule"] == "D1"]
    assert d1["ok"] is False
    assert "A1" in d1["reason"] and "A2" in d1["reason"]
    assert "Wintegreat" in d1["referral"]

    await move(client, people, created["id"], "screening")
    refused = await move(client, people, created["id"], "admitted", expect=409)
    assert "D1" in refused["detail"]
    [d1] = [f for f in refused["findings"] if f["rule"] == "D1"]
    assert "Wintegreat" in d1["referral"]
    kept = await history(client, people, created["id"])
    assert kept["decisions"][-1]["facts"]["language_partners"] == ["Wintegreat"]


async def test_a_french_a2_beginner_is_admitted(client, people, beginner_cohort):
    learner = await make_learner(client, people, french_level="A2")
    created = await apply(
        client, people, learner, program="digital", track=None, cohort=beginner_cohort
    )
    assert created["eligible"] is True
    await move(client, people, created["id"], "screening")
    admitted = await move(client, people, created["id"], "admitted")
    assert [(f["rule"], f["ok"]) for f in admitted["findings"]] == [
        ("C1", True),
        ("C3", True),
        ("D1", True),
    ]


def _d1(partners: tuple[str, ...]):
    [finding] = DIGITAL.eligibility(
        EligibilityFacts(
            track="beginner",
            cohort_start=date(2027, 1, 11),
            french_level=CefrLevel.A1,
            language_partners=partners,
        )
    )
    return finding


def test_d1_names_one_partner_several_partners_or_none() -> None:
    assert _d1(("Wintegreat",)).referral == (
        "Wintegreat, partenaire de l'antenne, propose des cours de français. "
        "L'équipe vous donne son adresse et vous aide à vous inscrire."
    )
    assert _d1(("Wintegreat", "Langues Plurielles")).referral.startswith(
        "Wintegreat et Langues Plurielles, partenaires de l'antenne, proposent"
    )
    assert _d1(()).referral == LANGUAGE_REFERRAL
