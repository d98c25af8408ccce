"""DIGISTART's weekly exercises (S1, S2): what each week's checkpoint asks the learner to do.

The trainer records one result per week, done or not done, once the learner has done that
week's exercises (see ``assessments``); these are the exercises themselves, as the plugin
ships them for trainers and learners to follow.
"""

from __future__ import annotations

import msgspec

from core.plugin import Key
from plugins.digistart.curriculum import UNITS


class Exercise(msgspec.Struct, frozen=True, kw_only=True):
    """One exercise of a week: its title and what it practises, in plain French."""

    key: Key
    title: str
    practises: str


class Week(msgspec.Struct, frozen=True, kw_only=True):
    """A week of DIGISTART: its number, its unit (whose key is the week's assessment key)
    and its exercises."""

    number: int
    unit: str
    title: str
    exercises: tuple[Exercise, ...]


def _exercises(*items: tuple[str, str, str]) -> tuple[Exercise, ...]:
    return tuple(Exercise(key=key, title=title, practises=what) for key, title, what in items)


EXERCISES: dict[str, tuple[Exercise, ...]] = {
    "html_structure": _exercises(
        ("first_page", "Ma première page", "La structure d'une page : doctype, html, head, body."),
        ("headings", "Titres et paragraphes", "Les titres h1 à h6, les paragraphes, les listes."),
        ("links_images", "Liens et images", "Un lien vers une autre page, une image avec son alt."),
    ),
    "html_metadata": _exercises(
        ("tab_title", "Le titre de l'onglet", "La balise title et l'encodage (meta charset)."),
        ("description", "La description", "La langue de la page et la meta description."),
        ("phone", "Une page lisible sur téléphone", "La meta viewport."),
    ),
    "css_framework": _exercises(
        ("add_bootstrap", "Ajouter Bootstrap", "Relier une feuille de style externe."),
        ("grid", "Une grille en colonnes", "Les conteneurs, lignes et colonnes de Bootstrap."),
        ("navbar", "Boutons et menu", "Les boutons et la barre de navigation de Bootstrap."),
    ),
    "html_sections": _exercises(
        ("header_footer", "En-tête et pied de page", "Les balises header, main et footer."),
        ("cv_sections", "Un CV en sections", "Les balises section, article et nav."),
        ("contact_form", "Un formulaire de contact", "Les balises form, label et input."),
    ),
    "css_selectors": _exercises(
        ("colours", "Des couleurs", "Les sélecteurs de balise, color et background-color."),
        ("classes", "Classes et identifiants", "Les sélecteurs .classe et #identifiant."),
        ("boxes", "Marges et bordures", "Le modèle de boîte : margin, padding, border."),
    ),
    "js_variables": _exercises(
        ("console", "Bonjour la console", "Afficher un message avec console.log."),
        ("variables", "Mes variables", "Créer des variables avec let et const."),
        ("types", "Textes et nombres", "Les types, typeof, et des méthodes comme toUpperCase."),
    ),
    "js_conditions": _exercises(
        ("calculator", "Une calculatrice", "Les opérateurs + - * / et %."),
        ("compare", "Comparer", "Les comparaisons ===, !==, < et >."),
        ("adult", "Majeur ou mineur ?", "Choisir une action avec if, else if et else."),
    ),
    "js_arrays_objects": _exercises(
        ("shopping", "Ma liste de courses", "Un tableau, sa longueur, push et l'accès par index."),
        ("contact_card", "Une fiche contact", "Un objet et ses propriétés."),
        ("address_book", "Un carnet d'adresses", "Un tableau d'objets."),
    ),
    "js_loops_functions": _exercises(
        ("count", "Compter jusqu'à 10", "La boucle for."),
        ("walk_array", "Parcourir un tableau", "Les boucles for...of et while."),
        ("functions", "Mes fonctions", "Écrire une fonction avec des paramètres et return."),
    ),
}
"""Each week's exercises, by unit key. The final exercise is assessed on its own."""

WEEKS = tuple(
    Week(number=number, unit=unit.key, title=unit.title, exercises=EXERCISES[unit.key])
    for number, unit in enumerate(UNITS, start=1)
)
"""The nine weeks in teaching order, with their exercises."""
