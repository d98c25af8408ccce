"""Opening a new city: its site file written from a model site's, and what is left to fill.

The new file keeps what a city inherits from the model (its programs and their settings,
opening hours, waitlist, attendance and follow-up settings, time zone) with the model's
comments, and leaves what is local (name, address, rooms, partners, closures, contacts, mail)
to fill: placeholders and commented templates that ``essaim sites check`` accepts, so that the
file is valid from the start and ``missing`` says what remains. tomlkit writes it, comments and
all.
"""

from __future__ import annotations

from datetime import date

import tomlkit
from tomlkit.items import Comment, Table, Whitespace

from core.sites.schema import PartnerKind, SiteFile, SiteStatus

TO_FILL = "À COMPLÉTER"
INHERITED = ("opening_hours", "enrolment", "attendance", "outcomes", "programs")
"""The blocks a new site takes from its model as they are."""

_TEMPLATES = """
À COMPLÉTER : les salles, une par bloc (capacity : places ; laptops : ordinateurs prêtés).
[[rooms]]
key = "salle-1"
name = "Salle de formation"
capacity = 12
laptops = 12

À COMPLÉTER : les partenaires du site. kinds : referral (oriente des candidats),
language (cours de français : les candidats sous A2 y sont orientés), host_company,
funder, volunteering.
[[partners]]
key = "mission-locale"
name = "Mission locale"
kinds = ["referral"]
contact = "partenariats@example.org"

À COMPLÉTER : les personnes à joindre, par rôle (adresses de travail seulement).
[[contacts]]
role = "Responsable d'antenne"
name = "Responsable de l'antenne"
email = "antenne@example.org"

À COMPLÉTER : le serveur d'envoi des messages ; le mot de passe n'est jamais dans le
fichier, seulement le nom de la variable qui le contient.
[mail]
sender = "Essaim <antenne@example.org>"
host = "smtp.example.org"
username = "antenne@example.org"
password_env = "ESSAIM_MAIL_PASSWORD_SITE"

Les jours de fermeture (inclus) ; aucune séance n'y est prévue.
[[closures]]
starts_on = 2027-07-26
ends_on = 2027-08-20
reason = "Fermeture d'été"
"""


def new_site_text(slug: str, model_text: str, model_slug: str, today: date) -> str:
    """The TOML text of a new site ``slug`` made from the text of ``model_slug``'s file."""
    model = tomlkit.parse(model_text)
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            f"Nouveau site « {slug} », créé le {today.isoformat()} depuis "
            f"sites/{model_slug}.toml par `essaim sites new`."
        )
    )
    doc.add(
        tomlkit.comment(
            f"Remplacez chaque « {TO_FILL} », vérifiez chaque « À VÉRIFIER », "
            "puis lancez `essaim sites check`."
        )
    )
    doc.add(tomlkit.nl())
    doc.add("slug", slug)
    doc.add("name", _noted(TO_FILL, "le nom affiché du site"))
    doc.add("status", _noted(SiteStatus.OPENING.value, "opening | active | paused"))
    doc.add(
        "department",
        _noted(
            str(model["department"]),
            f"À VÉRIFIER : repris de {model_slug}, il fixe les jours fériés",
        ),
    )
    doc.add("timezone", str(model["timezone"]))
    doc.add("locale", str(model.get("locale", "fr_FR")))
    doc.add("address", _noted(TO_FILL, "montrée aux candidats : l'adresse du lieu"))
    doc.add(tomlkit.nl())
    for line in _TEMPLATES.strip("\n").splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.nl())
    doc.add(tomlkit.nl())
    for key in INHERITED:
        block = model.get(key)
        if isinstance(block, Table):
            doc.add(key, _without_trailing_comments(block))
    return tomlkit.dumps(doc)


def _without_trailing_comments(table: Table) -> Table:
    """``table`` without the comments after its last value: in the model they introduce the
    block that followed it, which the new file does not have."""
    body = table.value.body
    while body and body[-1][0] is None and isinstance(body[-1][1], Comment | Whitespace):
        body.pop()
    table.add(tomlkit.nl())
    return table


def _noted(value: str, note: str) -> tomlkit.items.Item:
    item = tomlkit.item(value)
    item.comment(note)
    return item


def missing(site: SiteFile, model: SiteFile | None = None) -> list[str]:
    """What a site file still lacks before the site can open, in words a manager reads;
    with the ``model`` it was made from, what it still holds of it that is local."""
    gaps = []
    if model is not None and site.department == model.department:
        gaps.append(
            f"department : {site.department}, repris de {model.slug} ; il fixe les jours fériés"
        )
    if site.name == TO_FILL:
        gaps.append("name : le nom du site")
    if site.address in ("", TO_FILL):
        gaps.append("address : l'adresse du lieu, montrée aux candidats")
    if not site.rooms:
        gaps.append("rooms : aucune salle, donc aucune séance ne peut y être placée")
    kinds = {kind for partner in site.partners for kind in partner.kinds}
    if PartnerKind.REFERRAL not in kinds:
        gaps.append("partners : aucun partenaire qui oriente des candidats (referral)")
    if PartnerKind.LANGUAGE not in kinds:
        gaps.append("partners : aucun cours de français (language) où orienter un candidat sous A2")
    if not site.contacts:
        gaps.append("contacts : personne à joindre")
    if site.mail is None:
        gaps.append("mail : pas de serveur d'envoi, les messages aux candidats ne partiront pas")
    if not site.programs:
        gaps.append("programs : aucun programme")
    return gaps
