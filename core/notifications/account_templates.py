"""The e-mails Essaim sends to the people who work in it (trainers, volunteers, site
managers), in simple French: an invitation, a password reset.

Each body holds ``LINK`` where the single-use link goes: the link is put in when the message
leaves (``core.notifications.accounts``), so that the stored text never holds it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from zoneinfo import ZoneInfo

from core.french import french_date, french_time
from core.notifications.templates import Rendered

LINK = "[[lien]]"
"""Where the link goes in a body."""

ROLE_NAMES = {
    "trainer": "formatrice, formateur ou bénévole",
    "site_manager": "responsable d'antenne",
}
"""The roles a site grants, as the invitation names them."""


class AccountTemplate(enum.StrEnum):
    """The e-mails to an account."""

    INVITATION = "account_invitation"
    PASSWORD_RESET = "password_reset"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _greeting(name: str) -> str:
    return f"Bonjour {_one_line(name)}," if name.strip() else "Bonjour,"


def invitation(
    *, name: str, site_name: str, role: str, expires_at: datetime, timezone: str
) -> Rendered:
    """The invitation to a new account at ``site_name``, valid until ``expires_at``."""
    local = expires_at.astimezone(ZoneInfo(timezone))
    site = _one_line(site_name)
    paragraphs = [
        _greeting(name),
        f"L'antenne de {site} vous invite à utiliser Essaim.\n"
        "Essaim est l'outil de l'équipe : les séances, les présences, les groupes.",
        f"Votre rôle : {ROLE_NAMES.get(role, role)}.",
        f"Pour commencer, choisissez votre mot de passe sur cette page :\n{LINK}",
        "Ce lien marche une seule fois.\n"
        f"Il marche jusqu'au {french_date(local.date(), weekday=True)} "
        f"à {french_time(local.time())}.\n"
        "Ensuite, demandez une nouvelle invitation à votre antenne.",
        "Vous ne connaissez pas cette antenne ? Ne faites rien.",
        f"L'équipe Essaim\n{site}",
    ]
    return Rendered(subject=f"Essaim : votre compte à l'antenne de {site}", body=_body(paragraphs))


def password_reset(*, name: str) -> Rendered:
    """The link to choose a new password, valid one hour."""
    paragraphs = [
        _greeting(name),
        "Vous avez demandé à changer votre mot de passe Essaim.",
        f"Pour choisir un nouveau mot de passe, ouvrez cette page :\n{LINK}",
        "Ce lien marche une seule fois, pendant 1 heure.",
        "Vous n'avez rien demandé ? Ne faites rien : votre mot de passe ne change pas.",
        "L'équipe Essaim",
    ]
    return Rendered(subject="Essaim : changer votre mot de passe", body=_body(paragraphs))


def _body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"
