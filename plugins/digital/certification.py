"""PCIE/ICDL certification (D5): the modules, the pass mark, and what passed modules entitle to.

The certificate itself is issued by the national operator; what is computed here is only
what a learner's attempts would entitle them to, shown next to what was issued.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from plugins.digital.curriculum import ADVANCED, BEGINNER, INTERMEDIATE

PASS_MARK = 75.0
"""A module is passed at 75 % or more (27 of 36 questions in 35 minutes)."""

BASE_MODULES = {
    "computer_essentials": "Essentiels de l'ordinateur",
    "online_essentials": "Essentiels du web",
    "word_processing": "Traitement de texte",
    "spreadsheets": "Tableur",
}
"""ICDL Base: the four modules it takes, with their French titles."""

STANDARD_MODULES = {
    "presentation": "Présentation",
    "using_databases": "Base de données",
    "it_security": "Sécurité informatique",
    "online_collaboration": "Collaboration en ligne",
    "image_editing": "Édition d'images",
    "web_editing": "Édition de sites web",
    "project_planning": "Gestion de projets",
    "computing": "Algorithmique et programmation",
    "cad_2d": "Dessin assisté par ordinateur 2D",
    "digital_marketing": "Marketing digital",
}
"""The Standard modules, three of which, with Base, make ICDL Standard."""

MODULES = BASE_MODULES | STANDARD_MODULES
STANDARD_MODULES_NEEDED = 3

TRACK_MODULES = {
    BEGINNER: ("computer_essentials",),
    INTERMEDIATE: ("online_essentials", "word_processing"),
    ADVANCED: ("spreadsheets",),
}
"""The Base modules each level prepares for (D3)."""

BASE = "base"
STANDARD = "standard"
LEVELS = (BASE, STANDARD)


def passes(score: float) -> bool:
    """True when a module's ``score`` (a percentage) reaches the pass mark."""
    return score >= PASS_MARK


class Entitlement(msgspec.Struct, frozen=True, kw_only=True):
    """What passed modules would entitle to; never a certificate by itself."""

    level: str | None
    """``standard``, ``base`` or None."""
    passed_modules: list[str]
    base_missing: list[str]
    """The Base modules not passed yet."""
    standard_passed: int
    """Standard modules passed, of the three Standard asks."""


def entitlement(passed: Iterable[str]) -> Entitlement:
    """What the modules in ``passed`` would entitle to: Base is the four Base modules,
    Standard is Base and three Standard modules."""
    done = set(passed)
    base_missing = [key for key in BASE_MODULES if key not in done]
    standard = sum(key in done for key in STANDARD_MODULES)
    level = None
    if not base_missing:
        level = STANDARD if standard >= STANDARD_MODULES_NEEDED else BASE
    return Entitlement(
        level=level,
        passed_modules=[key for key in MODULES if key in done],
        base_missing=base_missing,
        standard_passed=standard,
    )
