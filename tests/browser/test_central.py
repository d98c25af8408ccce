"""In a real browser: the central team filters the dashboard to one site, sees its charts,
and downloads the XLSX, whose numbers for that site are the page's; with and without
JavaScript; a screenshot and an axe check of the filtered dashboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook

from tests.browser.server import CENTRAL, Essaim, api
from tests.browser.test_pages import SERIOUS
from tests.browser.test_trainer import sign_in

MORE_APPLICATIONS = {"paris": 6, "bordeaux": 5}
"""Applications added to the seed's three at Paris, so that some counts are 5 or more."""


@pytest.fixture(scope="module")
def applications(essaim: Essaim) -> None:
    """More applications to DIGITAL beginners at Paris and at Bordeaux, made today."""
    for site, count in MORE_APPLICATIONS.items():
        with api(essaim.url, f"responsable.{site}@example.org") as manager:
            for n in range(count):
                learner = manager.post(
                    "/api/v1/learners",
                    json={
                        "site": site,
                        "first_name": f"Candidate{n}",
                        "last_name": site.capitalize(),
                        "gender": "female" if n % 2 else "male",
                        "birth_date": "1995-03-02",
                        "french_level": "B1",
                    },
                )
                assert learner.status_code == 201, learner.text
                body = {"learner": learner.json()["id"], "site": site, "program": "digital",
                        "track": "beginner"}  # fmt: skip
                made = manager.post("/api/v1/applications", json=body)
                assert made.status_code == 201, made.text


def funnel_table(page) -> dict[str, str]:
    """The funnel table's rows: step title -> the number or marker shown."""
    rows = page.locator("#tableau-entonnoir tbody tr")
    return {
        row.locator("th").inner_text().strip(): row.locator("td").inner_text().strip()
        for row in rows.all()
    }


def filter_to_paris(page) -> None:
    sign_in(page, CENTRAL)
    assert page.url.endswith("/central")
    page.get_by_label("Antenne", exact=True).select_option("paris")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(lambda url: "site=paris" in url)
    page.locator("#tableau-entonnoir").wait_for()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_central_team_filters_to_one_site_and_downloads_the_xlsx(
    request, essaim: Essaim, applications, screenshots: Path, javascript: bool
) -> None:
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    filter_to_paris(page)
    if javascript:
        assert page.evaluate("document.activeElement.id") == "afficher", "HTMX kept the focus"
    assert page.get_by_label("Antenne", exact=True).input_value() == "paris"
    assert page.get_by_role("img", name="Entonnoir des candidatures").is_visible()
    assert page.get_by_role("img", name="Candidatures par mois").is_visible()
    shown = funnel_table(page)
    assert shown["Candidatures"] == "9", "the seed's 3 and 6 more; Bordeaux's 5 left out"

    with page.expect_download() as download:
        page.get_by_role("link", name="tableur (XLSX)").first.click()
    assert download.value.suggested_filename == "funnel.xlsx"
    with download.value.path().open("rb") as file:
        workbook = load_workbook(file)
    for title, value in shown.items():
        sheet = workbook[title]
        assert [cell.value for cell in sheet[1]] == ["Antenne", title]
        by_site = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert str(by_site["paris"]) == value, title

    if javascript:
        page.screenshot(path=screenshots / "equipe-centrale-filtre.png", full_page=True)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert not violations, violations
