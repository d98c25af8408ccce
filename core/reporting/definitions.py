"""Each indicator's one definition, in French, as funders read it in an export; the English
definitions for the team are in docs/indicators.md, and a test keeps both lists equal."""

from __future__ import annotations

DIMENSION_TITLES = {
    "site": "Antenne",
    "program": "Programme",
    "track": "Parcours",
    "cohort": "Promotion",
    "month": "Mois",
}

FUNNEL = {
    "applications": (
        "Candidatures",
        "Candidatures reçues pendant la période (mois de la candidature, heure de l'antenne).",
    ),
    "eligible": (
        "Éligibles",
        "Candidatures dont la dernière vérification d'éligibilité remplit toutes les règles.",
    ),
    "admitted": ("Admises", "Candidatures admises à un moment, quelle que soit la suite."),
    "waitlisted": ("En liste d'attente", "Candidatures mises en liste d'attente à un moment."),
    "enrolled": ("Inscrites", "Candidatures qui ont eu une place dans une promotion."),
    "withdrawn": ("Abandons", "Candidatures retirées, avant ou pendant la formation."),
    "completed": (
        "Formations terminées",
        "Candidatures dont l'inscription a abouti à une fin de formation validée.",
    ),
    "eligibility_rate": ("Taux d'éligibilité", "Éligibles / candidatures."),
    "admission_rate": ("Taux d'admission", "Admises / éligibles."),
    "enrolment_rate": ("Taux d'inscription", "Inscrites / admises."),
    "completion_rate": ("Taux de fin de formation", "Formations terminées / inscrites."),
}
"""Funnel indicators: key -> (title, definition)."""

SUPPRESSION_NOTE = (
    "Secret statistique : « <5 » remplace un effectif de 1 à 4 personnes ; « x » masque un "
    "effectif plus grand qui permettrait de le retrouver par soustraction ; « - » remplace un "
    "taux calculé sur un effectif masqué ou inférieur à 5."
)
