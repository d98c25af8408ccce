"""DIGITAL's three levels and their units (D3), each level 20 hours, in teaching order."""

from __future__ import annotations

from core.plugin import Track, Unit

KEY = "digital"

BEGINNER = "beginner"
INTERMEDIATE = "intermediate"
ADVANCED = "advanced"

TRACKS = (
    Track(
        key=BEGINNER,
        title="Débutant",
        hours=20,
        summary="Les bases : l'ordinateur, les fichiers, une clé USB, Internet.",
        requirements="Parler français au niveau A2 ou plus. Un test de français le vérifie.",
    ),
    Track(
        key=INTERMEDIATE,
        title="Intermédiaire",
        hours=20,
        summary="Chercher sur Internet, protéger ses données, l'e-mail, Word.",
        requirements="Réussir le test de positionnement, ou avoir fini le niveau débutant.",
    ),
    Track(
        key=ADVANCED,
        title="Avancé",
        hours=20,
        summary="Excel pour le travail.",
        requirements="Réussir le test de positionnement, ou avoir fini le niveau intermédiaire.",
    ),
)

LEVEL_ORDER = (BEGINNER, INTERMEDIATE, ADVANCED)
"""The levels from first to last: a level's prerequisite is the one before it (D2)."""

UNITS = (
    # Beginner: ICDL Computer Essentials.
    Unit(
        key="computer",
        track=BEGINNER,
        title="L'ordinateur",
        hours=4,
        outcomes=(
            "Allumer et éteindre un ordinateur.",
            "Nommer l'écran, le clavier, la souris et l'unité centrale.",
            "Ouvrir et fermer un programme.",
        ),
    ),
    Unit(
        key="mouse_keyboard",
        track=BEGINNER,
        title="La souris et le clavier",
        hours=4,
        outcomes=(
            "Cliquer, double-cliquer et faire glisser avec la souris.",
            "Écrire un texte avec les majuscules, les accents et la ponctuation.",
        ),
    ),
    Unit(
        key="files_folders",
        track=BEGINNER,
        title="Les fichiers et les dossiers",
        hours=4,
        outcomes=(
            "Créer, nommer et renommer un fichier ou un dossier.",
            "Copier, déplacer et supprimer un fichier.",
            "Retrouver un fichier enregistré.",
        ),
    ),
    Unit(
        key="usb_key",
        track=BEGINNER,
        title="La clé USB",
        hours=2,
        outcomes=(
            "Copier un fichier sur une clé USB et depuis une clé USB.",
            "Retirer une clé USB sans perdre ses fichiers.",
        ),
    ),
    Unit(
        key="browsing",
        track=BEGINNER,
        title="Naviguer sur Internet",
        hours=4,
        outcomes=(
            "Ouvrir un navigateur et aller sur un site avec son adresse.",
            "Utiliser les liens, les onglets et le bouton retour.",
        ),
    ),
    Unit(
        key="beginner_final",
        track=BEGINNER,
        title="Exercice pratique final",
        hours=2,
        outcomes=("Faire seul un exercice qui utilise tout le niveau débutant.",),
    ),
    # Intermediate: ICDL Online Essentials and Word Processing.
    Unit(
        key="web_search",
        track=INTERMEDIATE,
        title="Chercher sur Internet",
        hours=4,
        outcomes=(
            "Trouver une information avec un moteur de recherche.",
            "Reconnaître un site officiel et une publicité.",
        ),
    ),
    Unit(
        key="data_protection",
        track=INTERMEDIATE,
        title="Protéger ses données",
        hours=4,
        outcomes=(
            "Choisir un mot de passe solide.",
            "Reconnaître un message frauduleux (hameçonnage).",
            "Savoir quelles informations ne pas partager.",
        ),
    ),
    Unit(
        key="email",
        track=INTERMEDIATE,
        title="L'e-mail",
        hours=4,
        outcomes=(
            "Créer une adresse e-mail.",
            "Écrire, envoyer et répondre à un e-mail.",
            "Joindre un document à un e-mail.",
        ),
    ),
    Unit(
        key="word",
        track=INTERMEDIATE,
        title="Découvrir Word",
        hours=6,
        outcomes=(
            "Écrire et mettre en forme un texte.",
            "Faire un CV simple et l'enregistrer en PDF.",
        ),
    ),
    Unit(
        key="intermediate_final",
        track=INTERMEDIATE,
        title="Exercice pratique final",
        hours=2,
        outcomes=("Faire seul un exercice qui utilise tout le niveau intermédiaire.",),
    ),
    # Advanced: ICDL Spreadsheets.
    Unit(
        key="excel_basics",
        track=ADVANCED,
        title="Prendre en main Excel",
        hours=4,
        outcomes=(
            "Saisir des données dans un tableau.",
            "Gérer les lignes, les colonnes et les feuilles.",
        ),
    ),
    Unit(
        key="excel_formulas",
        track=ADVANCED,
        title="Formules et fonctions",
        hours=4,
        outcomes=(
            "Calculer avec des formules simples.",
            "Utiliser SOMME, MOYENNE et SI.",
        ),
    ),
    Unit(
        key="excel_formatting",
        track=ADVANCED,
        title="Mise en forme et graphiques",
        hours=4,
        outcomes=(
            "Mettre en forme un tableau pour l'imprimer.",
            "Créer un graphique à partir d'un tableau.",
        ),
    ),
    Unit(
        key="excel_data",
        track=ADVANCED,
        title="Travailler avec des données",
        hours=6,
        outcomes=(
            "Trier et filtrer une liste.",
            "Résumer des données avec un tableau croisé dynamique.",
        ),
    ),
    Unit(
        key="advanced_final",
        track=ADVANCED,
        title="Exercice pratique final",
        hours=2,
        outcomes=("Faire seul un tableau de travail complet dans Excel.",),
    ),
)


def track_by_key(key: str) -> Track:
    """The level called ``key``; ValueError when DIGITAL has no such level."""
    for track in TRACKS:
        if track.key == key:
            return track
    raise ValueError(f"DIGITAL has no track {key!r} (known: {', '.join(LEVEL_ORDER)})")


def units_of(key: str) -> tuple[Unit, ...]:
    """The units of level ``key``, in teaching order."""
    track_by_key(key)
    return tuple(unit for unit in UNITS if unit.track == key)
