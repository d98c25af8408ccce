"""The dashboard at /central: its tables give the reports API's numbers for the same filters
(hidden ones for the central team), its charts are self-contained SVG, its export links
carry the filters, a wrong filter is shown in place, and each role gets what the reports
allow it.

The data is the funnel's known dataset (tests/core/test_reports_funnel.py): Paris,
September 2026, 12 applications; Bordeaux, October 2026, 3.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import unescape

import pytest

from core.reporting import definitions
from core.web.charts import Point, Words, bar_chart, line_chart
from core.web.dashboard_charts import AUDIENCES, FUNNEL_STEPS, RESULTS
from core.web.i18n import read_catalog
from tests.core import test_reports_funnel as funnel_data
from tests.core import test_reports_learners as learners_data
from tests.web import sign_in

dataset = funnel_data.dataset
cohort = learners_data.cohort
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
TAGS = re.compile(r"<[^>]+>")


def table(html: str, table_id: str, key: str) -> dict[str, list[str]]:
    """The rows of a table by their ``data-<key>`` attribute: each cell's text."""
    body = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = {}
    for found in re.finditer(rf'<tr data-{key}="([^"]*)">(.*?)</tr>', body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(2), re.S)
        rows[found.group(1)] = [" ".join(unescape(TAGS.sub("", c)).split()) for c in cells]
    return rows


async def api_funnel(client, people, who, **params):
    response = await client.get("/api/v1/reports/funnel", params=params, headers=people.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("who", ["admin", "central"])
async def test_the_tables_give_the_apis_numbers_for_the_same_filters(client, people, dataset, who):
    await sign_in(client, who)
    page = await client.get("/central", params={"site": "paris", "from": "2026-09"})
    assert page.status_code == 200, page.text
    expected = await api_funnel(
        client, people, who, by=["month"], site="paris", **{"from": "2026-09"}
    )
    steps = table(page.text, "tableau-entonnoir", "indicateur")
    assert {name: cells[1] for name, cells in steps.items()} == {
        name: expected["total"]["counts"][name]["display"] for name, _ in FUNNEL_STEPS
    }
    months = table(page.text, "tableau-mois", "mois")
    assert {month: cells[1] for month, cells in months.items()} == {
        row["group"]["month"]: row["counts"]["applications"]["display"] for row in expected["rows"]
    }


@pytest.mark.parametrize("who", ["admin", "central"])
async def test_the_learners_tables_give_the_apis_numbers(client, people, cohort, who):
    await sign_in(client, who)
    page = await client.get("/central")
    response = await client.get(
        "/api/v1/reports/learners", params={"by": "site"}, headers=people.auth(who)
    )
    expected = response.json()
    total, paris = expected["total"], expected["rows"][0]

    def shown(cell):
        return " ".join(cell["display"].split())

    women = table(page.text, "tableau-femmes", "antenne")
    assert women["paris"][1:] == [
        shown(paris["counts"]["entered"]),
        shown(paris["counts"]["women"]),
        shown(paris["rates"]["women_share"]),
    ]
    audiences = table(page.text, "tableau-publics", "indicateur")
    assert {name: cells[1:] for name, cells in audiences.items()} == {
        share: [shown(total["counts"][part]), shown(total["counts"][whole]),
                shown(total["rates"][share])]
        for share, part, whole, _ in AUDIENCES
    }  # fmt: skip
    results = table(page.text, "tableau-resultats", "indicateur")
    assert {name: cells[1] for name, cells in results.items()} == {
        name: shown(total["rates"][name]) for name, _ in RESULTS
    }
    own = await client.get("/api/v1/reports/programs/atelier", headers=people.auth(who))
    program = table(page.text, "tableau-programme-atelier", "indicateur")
    assert {name: cells[1] for name, cells in program.items()} == {
        name: shown(cell)
        for name, cell in {**own.json()["total"]["counts"], **own.json()["total"]["rates"]}.items()
    }
    if who == "central":
        assert shown(total["counts"]["qpv"]) == "<5", "the dataset has hidden counts"


async def test_the_central_team_sees_the_hidden_counts_marked(client, people, dataset):
    await sign_in(client, "central")
    page = await client.get("/central")
    steps = table(page.text, "tableau-entonnoir", "indicateur")
    shown = {name: cells[1] for name, cells in steps.items()}
    assert shown == {"applications": "15", "eligible": "13", "admitted": "11", "enrolled": "x",
                     "completed": "<5", "certified": "0"}  # fmt: skip
    assert (
        '<abbr title="moins de 5 personnes"><span translate="no">&lt;5</span></abbr>' in page.text
    )
    assert "Les effectifs de moins de 5 personnes sont masqués" in page.text
    months = table(page.text, "tableau-mois", "mois")
    assert {m: cells[1] for m, cells in months.items()} == {"2026-09": "x", "2026-10": "<5"}


async def test_an_admin_sees_exact_counts(client, people, dataset):
    await sign_in(client, "admin")
    page = await client.get("/central")
    steps = table(page.text, "tableau-entonnoir", "indicateur")
    assert steps["enrolled"][1] == "8" and steps["completed"][1] == "3"
    assert "Les effectifs de moins de 5 personnes sont masqués" not in page.text


async def test_the_export_links_carry_the_filters(client, people, dataset):
    await sign_in(client, "central")
    page = await client.get(
        "/central", params={"site": "paris", "from": "2026-09", "to": "2026-12"}
    )
    link = re.search(r'href="(/api/v1/reports/funnel\.xlsx\?[^"]+)"', page.text).group(1)
    assert (
        unescape(link) == "/api/v1/reports/funnel.xlsx?by=site&from=2026-09&to=2026-12&site=paris"
    )
    export = await client.get(unescape(link))
    assert export.status_code == 200
    assert 'href="/api/v1/reports/programs/atelier/export.csv?by=site&amp;from=2026-09' in page.text


async def test_the_charts_are_well_formed_svg_without_external_reference(client, people, dataset):
    await sign_in(client, "central")
    page = await client.get("/central")
    charts = SVG.findall(page.text)
    assert len(charts) == 4, "funnel, months, audiences, results: nobody entered a cohort yet"
    for chart in charts:
        svg = ElementTree.fromstring(chart)
        assert svg.get("role") == "img"
        assert [child.tag for child in svg[:2]] == ["title", "desc"]
        for element in svg.iter():
            assert element.tag not in {"script", "image", "use", "foreignObject", "style"}
            for name, value in element.attrib.items():
                assert not name.endswith("href"), chart
                assert "url(" not in value and "//" not in value, chart
    assert "moins de 5 personnes" in charts[0], "the funnel's hidden bars have their legend"


def test_a_hidden_value_is_a_gap_in_the_bars_and_in_the_line():
    words = Words("Titre", "Description", {"<5": "moins de 5 personnes"})
    points = [Point("a", 12, "12"), Point("b", None, "<5"), Point("c", 7, "7")]
    bars = ElementTree.fromstring(bar_chart("barres", points, words))
    filled = [r for r in bars.iter("rect") if r.get("fill") != "none"]
    assert len(filled) == 2
    assert [r for r in bars.iter("rect") if r.get("stroke-dasharray")], "the gap is outlined"
    line = ElementTree.fromstring(line_chart("ligne", [*points, Point("d", 9, "9")], words))
    assert [p.get("points").count(",") for p in line.iter("polyline")] == [2], (
        "a and the hidden b draw no segment; c to d does"
    )
    assert len(list(line.iter("circle"))) == 3
    texts = "".join(line.itertext())
    assert "moins de 5 personnes" in texts and "<5" in texts


async def test_a_wrong_filter_is_shown_in_place(client, people):
    await sign_in(client, "central")
    page = await client.get("/central", params={"from": "2026-13", "to": "2026-01", "site": "lune"})
    assert page.status_code == 422
    assert 'role="alert"' in page.text
    assert 'id="from" name="from" value="2026-13"' in page.text
    assert "Mois de début : écrivez le mois sous la forme AAAA-MM" in page.text
    assert "Antenne : choisissez-en une dans la liste." in page.text
    assert 'aria-invalid="true" aria-describedby="site-erreur"' in page.text
    assert "tableau-entonnoir" not in page.text


async def test_a_site_manager_gets_their_own_sites_exact_figures(client, people, dataset):
    await sign_in(client, "bordeaux_manager")
    assert 'href="/central"' in (await client.get("/antenne")).text
    page = await client.get("/central")
    assert page.status_code == 200
    assert "paris" not in page.text.lower()
    steps = table(page.text, "tableau-entonnoir", "indicateur")
    assert steps["applications"][1] == "3" and steps["enrolled"][1] == "2"
    other = await client.get("/central", params={"site": "paris"})
    assert other.status_code == 422, "a site out of reach is not offered"


async def test_a_trainer_reads_no_report(client, people):
    await sign_in(client, "paris_trainer")
    page = await client.get("/central")
    assert page.status_code == 403
    assert "Accès non autorisé" in page.text


def test_the_funnel_steps_read_as_the_exports_titles_in_french():
    french = read_catalog("fr")
    translations = {message.id: message.string for message in french if message.id}
    assert [translations[label] for _, label in FUNNEL_STEPS] == [
        definitions.FUNNEL[name][0] for name, _ in FUNNEL_STEPS
    ]
