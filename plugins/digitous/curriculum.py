"""DIGITOUS's two phases as tracks: the full-stack bootcamp (T1), then time in a company (T3)."""

from __future__ import annotations

from core.plugin import Track, Unit

KEY = "digitous"
BOOTCAMP = "bootcamp"
PLACEMENT = "placement"
WEEK_HOURS = 35
"""Both phases are full time: a 35-hour week."""

TRACKS = (
    Track(
        key=BOOTCAMP,
        title="Phase 1 : bootcamp développeur full-stack",
        hours=12 * WEEK_HOURS,
        summary="Douze semaines à temps plein : JavaScript, front-end, mobile, back-end, SQL, "
        "un projet final et des ateliers de savoir-être.",
        requirements="Avoir fini DIGISTART, ou réussir le test de positionnement DIGITOUS.",
    ),
    Track(
        key=PLACEMENT,
        title="Phase 2 : en entreprise",
        hours=4 * WEEK_HOURS,
        summary="Une première expérience dans une entreprise d'accueil, avec un tuteur.",
        requirements="Avoir réussi la phase 1 (le bootcamp).",
    ),
)

UNITS = (
    Unit(
        key="javascript",
        track=BOOTCAMP,
        title="JavaScript",
        hours=2 * WEEK_HOURS,
        outcomes=(
            "Écrire un programme avec des fonctions, des tableaux et des objets.",
            "Utiliser Git pour enregistrer et partager son code.",
        ),
    ),
    Unit(
        key="dom",
        track=BOOTCAMP,
        title="Le DOM",
        hours=WEEK_HOURS,
        outcomes=("Changer une page web avec JavaScript et réagir aux actions de l'utilisateur.",),
    ),
    Unit(
        key="frontend",
        track=BOOTCAMP,
        title="Un framework front-end (React)",
        hours=2 * WEEK_HOURS,
        outcomes=("Construire une application web avec des composants.",),
    ),
    Unit(
        key="soft_skills_team",
        track=BOOTCAMP,
        title="Atelier savoir-être : travailler en équipe",
        hours=WEEK_HOURS / 2,
        outcomes=("Présenter son travail et donner un avis utile sur le code d'un autre.",),
    ),
    Unit(
        key="mobile",
        track=BOOTCAMP,
        title="Le mobile",
        hours=WEEK_HOURS,
        outcomes=("Créer une application mobile simple.",),
    ),
    Unit(
        key="backend",
        track=BOOTCAMP,
        title="Un back-end (Node.js)",
        hours=2 * WEEK_HOURS,
        outcomes=("Écrire une API web qui lit et enregistre des données.",),
    ),
    Unit(
        key="sql",
        track=BOOTCAMP,
        title="SQL",
        hours=WEEK_HOURS,
        outcomes=("Créer des tables et écrire des requêtes SQL.",),
    ),
    Unit(
        key="soft_skills_job",
        track=BOOTCAMP,
        title="Atelier savoir-être : chercher un stage et un emploi",
        hours=WEEK_HOURS / 2,
        outcomes=("Préparer son CV, son profil en ligne et un entretien.",),
    ),
    Unit(
        key="final_project",
        track=BOOTCAMP,
        title="Projet final full-stack",
        hours=2 * WEEK_HOURS,
        outcomes=("Construire en équipe une application complète et la présenter.",),
    ),
    Unit(
        key="onboarding",
        track=PLACEMENT,
        title="Arrivée dans l'entreprise et objectifs",
        hours=WEEK_HOURS,
        outcomes=("Connaître son équipe, son tuteur et ses objectifs écrits dans la convention.",),
    ),
    Unit(
        key="mission",
        track=PLACEMENT,
        title="Missions en équipe et bilan à mi-parcours",
        hours=2 * WEEK_HOURS,
        outcomes=("Faire des tâches réelles de développement avec l'équipe.",),
    ),
    Unit(
        key="final_review",
        track=PLACEMENT,
        title="Dernières missions et évaluation finale",
        hours=WEEK_HOURS,
        outcomes=("Faire le bilan avec son tuteur et préparer la suite.",),
    ),
)

CHECKPOINTS = ("javascript", "dom", "frontend", "mobile", "backend", "sql", "final_project")
"""The bootcamp units that end with a graded checkpoint (T1); the workshops have none."""


def track_by_key(key: str) -> Track:
    """The track called ``key``; ValueError when DIGITOUS has no such track."""
    for track in TRACKS:
        if track.key == key:
            return track
    raise ValueError(f"DIGITOUS has no track {key!r} (known: {BOOTCAMP}, {PLACEMENT})")


def units_of(key: str) -> tuple[Unit, ...]:
    """The units of track ``key``, in teaching order."""
    track_by_key(key)
    return tuple(unit for unit in UNITS if unit.track == key)
