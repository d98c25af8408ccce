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
    "certified": (
        "Certifications",
        "Candidatures dont l'inscription a abouti à une certification externe enregistrée "
        "par le programme (par exemple le certificat ICDL de DIGITAL).",
    ),
    "eligibility_rate": ("Taux d'éligibilité", "Éligibles / candidatures."),
    "admission_rate": ("Taux d'admission", "Admises / éligibles."),
    "enrolment_rate": ("Taux d'inscription", "Inscrites / admises."),
    "completion_rate": ("Taux de fin de formation", "Formations terminées / inscrites."),
}
"""Funnel indicators: key -> (title, definition)."""

LEARNERS = {
    "entered": (
        "Personnes entrées en formation",
        "Personnes inscrites qui ont suivi au moins une séance (émargement signé), par mois "
        "de début de la promotion.",
    ),
    "women": ("Femmes", "Femmes parmi les personnes entrées."),
    "qpv": ("Habitants QPV", "Personnes entrées qui habitent un quartier prioritaire."),
    "qpv_known": ("QPV renseigné", "Personnes entrées dont on sait si elles habitent un QPV."),
    "low_qualified": (
        "Infra-bac",
        "Personnes entrées sans diplôme ou avec un diplôme inférieur au baccalauréat.",
    ),
    "low_qualified_known": ("Diplôme renseigné", "Personnes entrées dont le diplôme est connu."),
    "job_seekers": (
        "Demandeurs d'emploi",
        "Personnes entrées demandeuses d'emploi, ou ni en emploi ni en formation.",
    ),
    "job_seekers_known": (
        "Situation renseignée",
        "Personnes entrées dont la situation est connue.",
    ),
    "refugees": ("Réfugiés", "Personnes entrées réfugiées ou demandeuses d'asile."),
    "refugees_known": ("Statut renseigné", "Personnes entrées dont ce statut est connu."),
    "under_26": ("Moins de 26 ans", "Personnes entrées qui ont moins de 26 ans au début."),
    "under_26_known": ("Âge renseigné", "Personnes entrées dont la date de naissance est connue."),
    "completed": ("Formations terminées", "Personnes entrées qui ont terminé la formation."),
    "dropped_out": ("Abandons", "Personnes entrées qui ont quitté la formation avant la fin."),
    **{
        name: entry
        for months in (3, 6)
        for name, entry in {
            f"exits_{months}": (
                f"Sorties suivies à {months} mois",
                f"Personnes allées au bout de la formation dont le suivi à {months} mois est dû.",
            ),
            f"known_{months}": (
                f"Situation connue à {months} mois",
                f"Sorties dont la situation à {months} mois est connue (personne jointe).",
            ),
            f"positive_{months}": (
                f"Sorties positives à {months} mois",
                f"Sorties en emploi (CDI, CDD), en alternance, en création d'entreprise ou en "
                f"formation qualifiante à {months} mois.",
            ),
        }.items()
    },
    "women_share": ("Part de femmes", "Femmes / personnes entrées (objectif : 50 %)."),
    "qpv_share": ("Part QPV", "Habitants QPV / QPV renseigné."),
    "low_qualified_share": ("Part infra-bac", "Infra-bac / diplôme renseigné."),
    "job_seekers_share": (
        "Part demandeurs d'emploi",
        "Demandeurs d'emploi / situation renseignée.",
    ),
    "refugees_share": ("Part réfugiés", "Réfugiés / statut renseigné."),
    "under_26_share": ("Part moins de 26 ans", "Moins de 26 ans / âge renseigné."),
    "attendance_rate": (
        "Taux d'assiduité",
        "Heures suivies (émargement signé) / heures prévues, pour les personnes entrées.",
    ),
    "completion_rate": ("Taux de fin de formation", "Formations terminées / personnes entrées."),
    "dropout_rate": ("Taux d'abandon", "Abandons / personnes entrées."),
    **{
        name: entry
        for months in (3, 6)
        for name, entry in {
            f"positive_rate_{months}": (
                f"Sorties positives à {months} mois (connues)",
                f"Sorties positives à {months} mois / situation connue à {months} mois.",
            ),
            f"positive_rate_{months}_all": (
                f"Sorties positives à {months} mois (toutes)",
                f"Sorties positives à {months} mois / sorties suivies à {months} mois.",
            ),
        }.items()
    },
}
"""Indicators on learners: key -> (title, definition)."""


SUPPRESSION_NOTE = (
    "Secret statistique : « <5 » remplace un effectif de 1 à 4 personnes ; « x » masque un "
    "effectif plus grand qui permettrait de le retrouver par soustraction ; « - » remplace un "
    "taux calculé sur un effectif masqué ou inférieur à 5."
)
