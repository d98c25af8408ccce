"""DIGISTART's one track and its nine weekly units (S1): HTML and CSS, then JavaScript."""

from __future__ import annotations

from core.plugin import Track, Unit

KEY = "digistart"
WEB = "web"
WEEK_HOURS = 8

TRACKS = (
    Track(
        key=WEB,
        title="Développement web",
        hours=9 * WEEK_HOURS,
        summary="Neuf semaines pour coder son propre site : HTML et CSS, puis JavaScript.",
        requirements="Parler français au niveau A2 ou plus, et avoir fini DIGITAL intermédiaire "
        "ou réussir le test de positionnement.",
    ),
)


def _week(key: str, number: int, topic: str, outcomes: tuple[str, ...]) -> Unit:
    return Unit(
        key=key,
        track=WEB,
        title=f"Semaine {number} : {topic}",
        hours=WEEK_HOURS,
        outcomes=outcomes,
    )


UNITS = (
    _week(
        "html_structure",
        1,
        "la structure d'une page",
        ("Écrire une page HTML avec ses titres, paragraphes, liens et images.",),
    ),
    _week(
        "html_metadata",
        2,
        "les métadonnées",
        ("Donner à une page son titre, sa langue et sa description.",),
    ),
    _week(
        "css_framework",
        3,
        "un framework CSS",
        ("Mettre en page un site avec un framework CSS (Bootstrap).",),
    ),
    _week(
        "html_sections",
        4,
        "les sections",
        ("Découper une page en en-tête, sections et pied de page.",),
    ),
    _week(
        "css_selectors",
        5,
        "les sélecteurs et les règles CSS",
        ("Choisir un élément avec un sélecteur et changer son style.",),
    ),
    _week(
        "js_variables",
        6,
        "variables, console, types et méthodes",
        (
            "Créer une variable et l'afficher dans la console.",
            "Reconnaître les types de base et utiliser leurs méthodes.",
        ),
    ),
    _week(
        "js_conditions",
        7,
        "opérateurs et conditions",
        ("Comparer des valeurs et choisir une action avec if et else.",),
    ),
    _week(
        "js_arrays_objects",
        8,
        "tableaux et objets",
        ("Ranger des données dans un tableau ou un objet et les lire.",),
    ),
    _week(
        "js_loops_functions",
        9,
        "boucles, fonctions et exercice final",
        (
            "Répéter une action avec une boucle.",
            "Écrire une fonction et l'utiliser.",
            "Réussir l'exercice final.",
        ),
    ),
)


def units_of(key: str) -> tuple[Unit, ...]:
    """The units of track ``key``, in teaching order; ValueError when there is no such track."""
    if key != WEB:
        raise ValueError(f"DIGISTART has no track {key!r} (known: {WEB})")
    return UNITS
