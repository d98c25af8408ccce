"""The pages' languages: French by default, English on request, dates in the language, every
visible text from the catalogs (a pseudo-locale shows any that is not), and no French entry
left empty."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from core.app import create_app
from core.enrolment import service as enrolments
from core.notifications.tables import AccountMessage
from core.surveys.links import ESSAIM, create_link
from core.surveys.schemas import LinkPurpose
from core.web.guard import HONEYPOT
from core.web.i18n import LOCALE_DIR, read_catalog
from core.web.language import choose, preferred
from tests.applications import apply, make_learner
from tests.enrolment import admitted, enrol
from tests.web import CLOSE, OPEN, PSEUDO, form_token, post_form, pseudo_catalogs, sign_in

WEB = Path(__file__).parents[2] / "core" / "web"


def test_accept_language_is_read_in_order_of_preference():
    assert preferred("en-GB,en;q=0.9,fr;q=0.8") == ["en", "en", "fr"]
    assert preferred("de;q=0.5, fr-CA, en;q=0") == ["fr", "de"]
    assert preferred("") == []


@pytest.mark.parametrize(
    ("asked", "remembered", "header", "expected"),
    [
        (None, None, "", "fr"),
        (None, None, "de-DE,en;q=0.8", "en"),
        (None, "en", "fr", "en"),
        ("fr", "en", "en", "fr"),
        ("klingon", None, "", "fr"),
    ],
)
def test_the_language_asked_wins_then_the_cookie_then_the_browser(
    asked, remembered, header, expected
):
    chosen = choose(["fr", "en"], "fr", asked=asked, remembered=remembered, accept_language=header)
    assert chosen == expected


async def test_the_home_page_switches_to_english_and_remembers_it(client):
    french = await client.get("/")
    assert '<html lang="fr">' in french.text and "Nos antennes" in french.text
    english = await client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Our sites" in english.text
    assert client.cookies.get("essaim_lang") == "en"
    again = await client.get("/")
    assert "Our sites" in again.text


async def test_the_browser_language_is_respected(client):
    page = await client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in page.text


def test_the_french_catalog_has_no_empty_or_fuzzy_entry():
    catalog = read_catalog("fr")
    empty = [
        message.id
        for message in catalog
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    assert not empty, f"translate these in {LOCALE_DIR}/fr (make messages): {empty}"


def test_every_string_of_the_pages_is_in_the_catalogs():
    with (WEB / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, *_ in extract_from_dir(str(WEB), method_map, options_map)
    }
    for code in ("fr", "en"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_catalog(code)}
        assert found <= known, f"run make messages: {sorted(found - known)} missing in {code}"


# The pseudo-locale -----------------------------------------------------------------------

_SKIPPED = {"script", "style", "time"}
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}
_READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
_DATA = re.compile("^[\\s\\d.,:;\u00b7\u2013\\-()%/+]*$")  # digits, punctuation, spaces


class VisibleText(HTMLParser):
    """The texts a reader sees or hears, outside ``translate="no"`` and ``<time>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = bool(self.stack and self.stack[-1]) or tag in _SKIPPED
        skipped = skipped or values.get("translate") == "no"
        if not skipped:
            self.texts.extend(values[name] or "" for name in _READ_ATTRIBUTES if name in values)
        if tag not in _VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.texts.append(data)


def untranslated(html: str) -> list[str]:
    """The visible texts that are neither a catalog's (wrapped) nor data."""
    parser = VisibleText()
    parser.feed(html)
    pattern = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    leftovers = []
    for text in parser.texts:
        while pattern.search(text):
            text = pattern.sub("", text)
        if not _DATA.match(text):
            leftovers.append(text.strip())
    return leftovers


def test_the_check_catches_a_hard_coded_string():
    assert untranslated(f"<p>{OPEN}Bonjour{CLOSE}</p><p translate='no'>Awa</p>") == []
    assert untranslated("<p>Bonjour</p>") == ["Bonjour"]
    assert untranslated(f"<p>{OPEN}a{CLOSE} et <time>lundi</time></p>") == ["et"]
    assert untranslated('<nav aria-label="Menu"></nav>') == ["Menu"]


@pytest.fixture
def app(db_settings, plugin_host, clock):
    """The application, its pages offered in the pseudo-locale too."""
    return create_app(db_settings, host=plugin_host, clock=clock, catalogs=pseudo_catalogs())


def _page_routes(app) -> set[str]:
    return {
        route.path
        for route in app.routes
        if not route.path.startswith(("/api/", "/static", "/schema", "/calendar", "/health"))
        and "GET" in getattr(route, "methods", ())
    }


async def visit_cohorts_and_learners(visit, posted, cohort: int, learner: int) -> None:
    """The site manager's cohort and learner pages, with their errors and confirmations."""
    one, record = "/cohortes/{cohort_id:int}", "/apprenants/{learner_id:int}"
    await visit("/antenne/cohortes", "/antenne/cohortes?statut=planned&programme=atelier")
    await visit(one, f"/cohortes/{cohort}?fait=retrait")
    await posted(f"/cohortes/{cohort}/retrait", {}, 422, page=f"/cohortes/{cohort}")
    await posted(f"/cohortes/{cohort}/transfert", {}, 422, page=f"/cohortes/{cohort}")
    await visit("/apprenants", "/apprenants")
    await visit("/apprenants", "/apprenants?q=0612", 422)
    await visit(record, f"/apprenants/{learner}?fait=1")
    await visit(f"{record}/modifier", f"/apprenants/{learner}/modifier")
    await posted(f"/apprenants/{learner}/modifier", {"phone": "1"}, 422)


async def test_every_page_shows_only_text_from_the_catalogs(app, client, people, clock):
    manager = people.auth("paris_manager")
    cohort = people.paris_cohort
    rhythm = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
    await client.patch(f"/api/v1/cohorts/{cohort}", json=rhythm, headers=manager)
    plan = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=manager)
    first, second = (s["id"] for s in plan.json()["items"][:2])
    placed = await enrol(client, people, cohort, await admitted(client, people))
    learner = placed["learner"]
    ready = await admitted(client, people)
    fresh = (await apply(client, people, await make_learner(client, people)))["id"]
    trackless = await apply(client, people, await make_learner(client, people), track=None)
    clock.advance(timedelta(days=34))  # the first session under way
    client.cookies.set("essaim_lang", PSEUDO)
    visited: dict[str, str] = {}

    async def visit(route: str, url: str, expected: int = 200) -> None:
        response = await client.get(url)
        assert response.status_code == expected, url
        visited[f"{url} ({response.status_code})"] = response.text
        _routes_seen.add(route)

    async def posted(url: str, data: dict, expected: int, page: str | None = None) -> None:
        response = await post_form(client, url, data, page=page)
        assert response.status_code == expected, url
        visited[f"POST {url} ({expected})"] = response.text

    _routes_seen: set[str] = set()
    sheet = "/seances/{session_id:int}/emargement"
    await visit("/", "/")
    await visit("/connexion", "/connexion")
    await posted("/connexion", {"email": "x@example.org", "password": "x"}, 401)
    apply_form, url = "/postuler/{site:str}/{program:str}", "/postuler/paris/atelier"
    await visit("/postuler", "/postuler")
    await visit(apply_form, url)
    await posted(url, {"prenom": "Awa", "naissance": "2015-01-01", "telephone": "12"}, 422)
    await posted(
        url,
        {
            "prenom": "Awa",
            "nom": "Diallo",
            "naissance": "2015-01-01",
            "genre": "female",
            "telephone": "0612345678",
            "accord": "training_record",
        },
        422,
    )
    application = {
        "prenom": "Awa",
        "nom": "Diallo",
        "naissance": "1990-01-01",
        "genre": "female",
        "email": "awa@example.org",
        "accord": "training_record",
    }
    await posted(url, application, 303)
    await visit("/candidature-recue/{reference:int}", "/candidature-recue/1")
    for _ in range(4):
        await posted(url, {HONEYPOT: "x"}, 303)
    await posted(url, application, 429)
    await visit("/benevolat", "/benevolat")
    await posted("/benevolat", {"antenne": "paris", "entreprise": "inconnue"}, 422)
    await posted(
        "/benevolat",
        {
            "antenne": "paris",
            "prenom": "Léa",
            "nom": "Martin",
            "telephone": "0612345678",
            "accord": "oui",
        },
        303,
    )
    await visit("/benevolat/merci", "/benevolat/merci")
    await sign_in(client, "paris_trainer")
    await visit("/espace", "/espace", 303)
    await visit("/mes-seances", "/mes-seances")
    await visit(sheet, f"/seances/{first}/emargement")
    await visit(sheet, f"/seances/{second}/emargement")
    await posted(f"/seances/{first}/emargement", {f"statut-{learner}": "late"}, 422)
    await visit(sheet, f"/seances/{first}/emargement?enregistre=1")
    await visit(sheet, "/seances/9999/emargement", 404)
    await visit("/cohortes/{cohort_id:int}", f"/cohortes/{cohort}")
    expired = await client.post(f"/seances/{first}/emargement", data={"signature": "sheet"})
    assert expired.status_code == 403
    visited["POST without a form token (403)"] = expired.text
    client.cookies.delete("essaim_session")
    await sign_in(client, "paris_manager")
    await visit("/antenne", "/antenne")
    await visit("/central", "/central?site=paris")
    volunteers = "/antenne/benevoles"
    await visit(volunteers, volunteers)
    await visit(volunteers, f"{volunteers}?liste=actifs&fait=accepter")
    await visit(volunteers, f"{volunteers}?liste=inactifs&fait=desactiver")
    await visit(volunteers, f"{volunteers}?fait=reactiver")
    listing, one = "/antenne/candidatures", "/candidatures/{application_id:int}"
    await visit(listing, listing)
    await visit(listing, f"{listing}?statut=screening&programme=atelier")
    await visit(one, f"/candidatures/{fresh}")
    await visit(one, f"/candidatures/{fresh}?fait=screening")
    await posted(f"/candidatures/{fresh}", {"vers": "rejected"}, 422)
    await posted(f"/candidatures/{trackless['id']}", {"vers": "screening"}, 303)
    await posted(f"/candidatures/{trackless['id']}", {"vers": "admitted"}, 422)
    await visit(one, f"/candidatures/{ready}?inscription=2")
    await posted(
        f"/candidatures/{ready}/inscription", {"promotion": ""}, 422, page=f"/candidatures/{ready}"
    )
    await visit(one, f"/candidatures/{placed['application']}?inscription=inscrit")
    team = "/antenne/equipe"
    await visit(team, team)
    for done in ("invitation", "desactiver", "reactiver", "renvoyer"):
        await visit(team, f"{team}?antenne=paris&fait={done}")
    await posted(team, {"antenne": "paris", "role": "trainer"}, 422)
    invitee = {"nom": "Nadia", "email": "nadia@example.org", "role": "site_manager"}
    await posted(team, {"antenne": "paris"} | invitee, 303)
    trainer = (await client.get("/api/v1/auth/me", headers=people.auth("paris_trainer"))).json()
    await posted(f"{team}/{trainer['id']}", {"action": "desactiver"}, 303, page=team)
    await visit(team, f"{team}?antenne=bordeaux", 404)
    await visit_cohorts_and_learners(visit, posted, cohort, learner)
    marks = "/cohortes/{cohort_id:int}/evaluations"
    await visit(marks, f"/cohortes/{cohort}/evaluations")
    await visit(marks, f"/cohortes/{cohort}/evaluations?evaluation=carnet&enregistre=2")
    await posted(
        f"/cohortes/{cohort}/evaluations",
        {"evaluation": "bilan", "date": "2099-01-01", f"valeur-{placed['id']}": "x"},
        422,
    )
    ending = "/cohortes/{cohort_id:int}/validation"
    await visit(ending, f"/cohortes/{cohort}/validation")
    await posted(f"/cohortes/{cohort}/validation", {"inscription": str(placed["id"])}, 303)
    await visit(ending, f"/cohortes/{cohort}/validation?decide={placed['id']}")
    await posted(f"/cohortes/{cohort}/validation", {"inscription": "0"}, 422)
    await posted(
        f"/cohortes/{cohort}/validation/derogation",
        {"inscription": str(placed["id"])},
        422,
        page=f"/cohortes/{cohort}/validation",
    )
    await visit(ending, f"/cohortes/{cohort}/validation?derogation={placed['id']}")
    await visit("/antenne/configuration", "/antenne/configuration")
    await visit("/antenne/import", "/antenne/import")
    await visit("/antenne/import", "/antenne/import?crees=2&ignores=1&invalides=1")
    await posted("/antenne/import", {"site": "paris"}, 422)
    await posted("/antenne/import/confirmer", {"fichier": "x"}, 422, page="/antenne/import")
    token = await form_token(client, "/antenne/import")
    checked = await client.post(
        "/antenne/import",
        data={"site": "paris", "kind": "learners", "_csrf_token": token},
        files={"fichier": ("a.csv", b"first_name,last_name,gender\nAwa,Diallo,f\nA,B,female\n")},
    )
    assert checked.status_code == 200
    visited["POST /antenne/import (200)"] = checked.text
    client.cookies.delete("essaim_session")
    forgotten, link = "/mot-de-passe-oublie", "/mot-de-passe/{secret:str}"
    await visit(forgotten, forgotten)
    await visit(forgotten, f"{forgotten}?envoye=1")
    await posted(forgotten, {"email": "pas une adresse"}, 422)
    await posted(forgotten, {"email": "nadia@example.org"}, 303)
    secret = (await AccountMessage.select(AccountMessage.link).first())["link"].rpartition("/")[2]
    await visit(link, f"/mot-de-passe/{secret}")
    await posted(f"/mot-de-passe/{secret}", {"mot_de_passe": "court"}, 422)
    await visit(link, "/mot-de-passe/inconnu", 409)
    for _ in range(3):
        await posted("/connexion", {"email": "admin@example.org", "password": "x"}, 401)
    await posted("/connexion", {"email": "admin@example.org", "password": "x"}, 429)
    await sign_in(client, "central")
    await visit("/central", "/central")
    await visit("/central", "/central?from=2026-13&site=lune", 422)
    await visit(sheet, f"/seances/{first}/emargement", 403)
    client.cookies.delete("essaim_session")
    await _visit_links(clock, placed["id"], visit, posted)
    assert _routes_seen == _page_routes(app), "render every page here"
    problems = {url: untranslated(html) for url, html in visited.items() if "<html" in html}
    assert not {url: texts for url, texts in problems.items() if texts}


async def _visit_links(clock, enrolment_id: int, visit, posted) -> None:
    """The learner's pages behind a personal link: the survey and the follow-up, with their
    errors, the thanks, a second answer, and links unknown, answered and expired."""
    enrolment = await enrolments.get_enrolment(ESSAIM, enrolment_id)
    until = clock.now() + timedelta(days=30)
    for secret, purpose, checkpoint in (
        ("lien-avis", LinkPurpose.SURVEY, 0),
        ("lien-suivi", LinkPurpose.FOLLOW_UP, 3),
    ):
        await create_link(
            enrolment, purpose, checkpoint, secret, now=clock.now(), expires_at=until, by=ESSAIM
        )
    route, survey, follow_up = "/suivi/{secret:str}", "/suivi/lien-avis", "/suivi/lien-suivi"
    answer = {"note": "4", "recommande": "oui", "aide": "group"}
    await visit(route, survey)
    await posted(survey, {"note": "9", "commentaire": "Bien."}, 422)
    await visit(route, follow_up)
    await posted(follow_up, {"situation": "emploi"}, 422)
    await posted(survey, answer, 303)
    await visit(route, f"{survey}?merci=1")
    await visit(route, survey, 410)
    await posted(survey, answer, 409, page=follow_up)
    await visit(route, "/suivi/inconnu", 404)
    clock.advance(timedelta(days=31))
    await visit(route, follow_up, 410)
